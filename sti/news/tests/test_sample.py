"""The demo data loads through the services, in every workflow state, and only once."""

from __future__ import annotations

import pytest

from sti.news.choices import ArticleStatus, IssueStatus
from sti.news.models import Article, Issue

pytestmark = pytest.mark.django_db


def test_sample_loads_once_with_every_state():
    from sti.accounts.sample import load_sample as accounts
    from sti.directory.sample import load_sample as directory
    from sti.library.sample import load_sample as library
    from sti.news.sample import load_sample as news
    from sti.projects.sample import load_sample as projects

    quiet = lambda message: None  # noqa: E731
    for load in (accounts, directory, library, projects, news):
        load(quiet)
    states = set(Article.objects.values_list("status", flat=True))
    assert states == {
        ArticleStatus.PUBLISHED,
        ArticleStatus.SCHEDULED,
        ArticleStatus.REVIEW,
        ArticleStatus.DRAFT,
    }
    assert Article.objects.count() == 24
    assert Article.objects.public().count() == 21
    published = Article.objects.public()
    months = {a.publish_at.strftime("%Y-%m") for a in published}
    assert len(months) >= 10  # a year of news
    assert published.exclude(lead_image="").count() >= 15
    assert all(a.lead_image_alt for a in Article.objects.exclude(lead_image=""))
    issues = Issue.objects.filter(status=IssueStatus.PUBLISHED)
    assert issues.count() >= 4 and all(issue.document_id for issue in issues)
    assert Issue.objects.filter(status=IssueStatus.DRAFT).exists()
    assert all(issue.pdf for issue in Issue.objects.all())

    news(quiet)
    assert Article.objects.count() == 24
