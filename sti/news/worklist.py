"""Queues of the editor's worklist (`/viec-can-lam/`): articles waiting for review."""

from sti.core.registries import QueueSummary, summarize
from sti.news.choices import ArticleStatus
from sti.news.models import Article


def in_review(user) -> QueueSummary:
    """Articles submitted by reporters, waiting since they were last changed."""
    return summarize(Article.objects.filter(status=ArticleStatus.REVIEW), "updated_at")
