"""RSS 2.0 and Atom feeds, read with a real feed parser: only published, public entries."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from sti.news import services
from sti.news.choices import ArticleStatus as S

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def articles(make_article, category):
    return {
        "published": make_article(
            "Cần Thơ có 12 sáng chế mới", status=S.PUBLISHED, category=category
        ),
        "other": make_article("Ngày hội khởi nghiệp sáng tạo", status=S.PUBLISHED),
        "draft": make_article("Bản nháp chưa duyệt", category=category),
        "review": make_article("Bài đang chờ duyệt", status=S.REVIEW, category=category),
        "scheduled": make_article("Tin hẹn giờ tuần sau", status=S.SCHEDULED, category=category),
        "archived": make_article("Tin đã gỡ", status=S.ARCHIVED, category=category),
    }


@pytest.mark.parametrize("url,version", [("/tin-tuc/rss/", "rss20"), ("/tin-tuc/atom/", "atom10")])
def test_news_feeds(client, articles, url, version):
    feed = parse(client, url)
    assert feed.version == version
    titles = [entry.title for entry in feed.entries]
    assert sorted(titles) == sorted(["Cần Thơ có 12 sáng chế mới", "Ngày hội khởi nghiệp sáng tạo"])
    entry = next(e for e in feed.entries if e.title == "Cần Thơ có 12 sáng chế mới")
    assert entry.link.endswith(articles["published"].get_absolute_url())
    assert entry.published_parsed is not None
    assert feed.feed.title == "Tin tức KH&CN Cần Thơ"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_category_feeds(client, articles, category, kind):
    feed = parse(client, f"/tin-tuc/chuyen-muc/{category.slug}/{kind}/")
    assert [entry.title for entry in feed.entries] == ["Cần Thơ có 12 sáng chế mới"]
    assert category.name in feed.feed.title
    assert client.get(f"/tin-tuc/chuyen-muc/khong-co/{kind}/").status_code == 404


def test_feed_is_the_same_for_a_signed_in_editor(client_for, editor, articles):
    """Feeds carry no session's privileges: an editor's reader gets the public entries."""
    feed = parse(client_for(editor), "/tin-tuc/rss/")
    assert len(feed.entries) == 2


def test_scheduled_entry_appears_at_its_moment(client, editor, make_article):
    article = make_article("Sắp đăng", status=S.SCHEDULED)
    assert parse(client, "/tin-tuc/rss/").entries == []
    type(article).objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert [e.title for e in parse(client, "/tin-tuc/rss/").entries] == ["Sắp đăng"]


@pytest.mark.parametrize("kind,version", [("rss", "rss20"), ("atom", "atom10")])
def test_series_feeds_list_published_issues_with_their_pdf(
    client, editor, make_issue, series, run_on_commit, kind, version
):
    with run_on_commit():
        published = make_issue(1, pdf_text="Bản tin chọn lọc số 1.", title="Lúa gạo")
        services.publish_issue(editor, published)
    make_issue(2, pdf_text="Bản tin chọn lọc số 2 (đang biên tập).")
    feed = parse(client, f"/tin-tuc/an-pham/{series.slug}/{kind}/")
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == [str(published)]
    enclosures = feed.entries[0].enclosures
    assert enclosures and enclosures[0].type == "application/pdf"
    assert enclosures[0].href.endswith(f"/tin-tuc/an-pham/so/{published.pk}/tep.pdf")
