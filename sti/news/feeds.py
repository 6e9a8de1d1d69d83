"""RSS 2.0 and Atom 1.0 feeds (django.contrib.syndication): all news, news of one category,
and the issues of one periodical series.

A feed is read by programs that carry no session, so it lists only what the public may see
(`visible_to(None)`): never a draft, never an article before its moment.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from sti.news.choices import IssueStatus
from sti.news.models import Article, Category, Issue, Series

FEED_LENGTH = 30


class _ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self, obj=None):
        name = _("Tin tức KH&CN Cần Thơ")
        return f"{name} – {obj.name}" if obj is not None else name

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else reverse("news:article_list")

    def description(self, obj=None):
        return _("Tin hoạt động khoa học và công nghệ của TP. Cần Thơ")

    subtitle = description

    def items(self, obj=None):
        articles = Article.objects.public().select_related("organization", "category")
        if obj is not None:
            articles = articles.filter(category=obj)
        return articles.order_by("-publish_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body[:600]

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item):
        return item.organization.name

    def item_categories(self, item):
        return [item.category.name] if item.category_id else []

    def item_guid(self, item):
        return f"tag:{settings.STI_OAI_REPOSITORY_ID},2025:news/article/{item.pk}"

    item_guid_is_permalink = False


class ArticleRss(_ArticleFeed):
    pass


class ArticleAtom(_ArticleFeed):
    feed_type = Atom1Feed


class _CategoryMixin:
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)


class CategoryRss(_CategoryMixin, ArticleRss):
    pass


class CategoryAtom(_CategoryMixin, ArticleAtom):
    pass


class SeriesRss(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def title(self, obj):
        return obj.name

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or obj.get_kind_display()

    subtitle = description

    def items(self, obj):
        return (
            Issue.objects.visible_to(None)
            .filter(series=obj, status=IssueStatus.PUBLISHED)
            .select_related("series")
            .order_by("-issued", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.summary or str(item)

    def item_pubdate(self, item):
        return item.published_at or timezone.make_aware(dt.datetime.combine(item.issued, dt.time()))

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"tag:{settings.STI_OAI_REPOSITORY_ID},2025:news/issue/{item.pk}"

    item_guid_is_permalink = False

    def item_enclosure_url(self, item):
        return reverse("news:issue_file", args=[item.pk, "pdf"]) if item.pdf else None

    def item_enclosure_length(self, item):
        try:
            return item.pdf.size if item.pdf else None
        except OSError:
            return None

    item_enclosure_mime_type = "application/pdf"


class SeriesAtom(SeriesRss):
    feed_type = Atom1Feed
