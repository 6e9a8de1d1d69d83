"""The library's queues on the editor's worklist (registered in `LibraryConfig.ready()`)."""

from __future__ import annotations

from sti.core.registries import QueueSummary, summarize
from sti.library import services
from sti.library.choices import HELD_FLAGS
from sti.library.models import DocumentFile


def unchecked_flagged_files():
    """Files whose extracted text looks empty, unsure or garbled, not yet confirmed."""
    return DocumentFile.objects.filter(
        quality__in=HELD_FLAGS,
        quality_checked_by__isnull=True,
    )


def deposits_to_review(user) -> QueueSummary:
    """Deposits submitted and waiting for an editor's decision (the review queue)."""
    return summarize(services.review_queue(), "created_at")


def files_to_check(user) -> QueueSummary:
    return summarize(unchecked_flagged_files(), "created_at")
