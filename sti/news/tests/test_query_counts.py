"""Query-count pins: each list and detail page costs the same at 2 and 20 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sti.core.testing import assert_flat_queries
from sti.news.choices import ArticleStatus, IssueStatus
from sti.news.models import Article, Category, Issue, IssueItem, RelatedRecord, Series

pytestmark = pytest.mark.django_db


def _articles(org, count, **extra):
    start = Article.objects.count()
    return Article.objects.bulk_create(
        [
            Article(
                title=f"Tin KH&CN Cần Thơ số {start + i}",
                body="Nội dung",
                organization=org,
                status=ArticleStatus.PUBLISHED,
                publish_at=timezone.now() - dt.timedelta(hours=i + 1),
                **extra,
            )
            for i in range(count)
        ]
    )


def test_article_list(client, org_a, category):
    def add(count):
        return [a.title for a in _articles(org_a, count, category=category)][:5]

    assert_flat_queries(client, "/tin-tuc/", add, at_most=7, sizes=(2, 12))


def test_article_detail_with_related_records(client, org_a, editor):
    from django.contrib.contenttypes.models import ContentType

    from sti.library import services as library

    article = _articles(org_a, 1)[0]
    content_type = ContentType.objects.get(app_label="library", model="document")

    def add(count):
        titles = []
        for _ in range(count):
            document = library.create_document(
                editor,
                {
                    "title": f"Tài liệu liên quan {RelatedRecord.objects.count()}",
                    "source_type": "report",
                },
            )
            RelatedRecord.objects.create(
                article=article, content_type=content_type, object_id=document.pk
            )
            titles.append(document.title)
        return titles

    assert_flat_queries(client, article.get_absolute_url(), add, at_most=8)


def test_category_list(client_for, editor):
    def add(count):
        start = Category.objects.count()
        return [
            Category.objects.create(name=f"Chuyên mục {start + i}", slug=f"cm-{start + i}").name
            for i in range(count)
        ]

    assert_flat_queries(client_for(editor), "/tin-tuc/chuyen-muc/", add, at_most=4)


def _issues(series, count):
    start = Issue.objects.count()
    return Issue.objects.bulk_create(
        [
            Issue(
                series=series,
                number=start + i + 1,
                year=2025,
                issued=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                title=f"Chủ đề {start + i}",
                status=IssueStatus.PUBLISHED,
            )
            for i in range(count)
        ]
    )


def test_series_list(client):
    series = Series.objects.get(slug="tap-chi")

    def add(count):
        return [str(issue.title) for issue in _issues(series, count)][-3:]

    assert_flat_queries(client, "/tin-tuc/an-pham/", add, at_most=3, sizes=(2, 6))


def test_series_detail(client):
    series = Series.objects.get(slug="tong-luan")

    def add(count):
        return [issue.title for issue in _issues(series, count)]

    assert_flat_queries(client, series.get_absolute_url(), add, at_most=4)


def test_issue_detail(client, editor):
    from django.contrib.contenttypes.models import ContentType

    from sti.library import services as library

    issue = _issues(Series.objects.get(slug="ban-tin-chon-loc"), 1)[0]
    content_type = ContentType.objects.get(app_label="library", model="document")

    def add(count):
        titles = []
        for _ in range(count):
            document = library.create_document(
                editor, {"title": f"Mục {IssueItem.objects.count()}", "source_type": "report"}
            )
            item = IssueItem.objects.create(
                issue=issue, title=document.title, content_type=content_type, object_id=document.pk
            )
            titles.append(item.title)
        return titles

    assert_flat_queries(client, issue.get_absolute_url(), add, at_most=6)


def test_news_feed(client, org_a, category):
    def add(count):
        return [a.title for a in _articles(org_a, count, category=category)]

    assert_flat_queries(client, "/tin-tuc/rss/", add, at_most=3)


def test_series_feed(client):
    series = Series.objects.get(slug="chuyen-de")

    def add(count):
        return [issue.title for issue in _issues(series, count)]

    assert_flat_queries(client, "/tin-tuc/an-pham/chuyen-de/rss/", add, at_most=3)
