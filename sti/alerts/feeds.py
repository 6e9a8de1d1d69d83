"""The private RSS and Atom feeds of a saved search.

The address carries the owner's feed secret (`FeedToken`), so a feed reader needs no login;
the feed lists only what that owner may see (the search runs with their principals), and
renewing the secret revokes every address given before.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sti.alerts import jobs
from sti.alerts.models import SavedSearch
from sti.alerts.services import feed_user
from sti.search import services as search_services

FEED_ITEMS = 50


def feed_days() -> int:
    return settings.STI_ALERTS_FEED_DAYS


def feed_items(saved: SavedSearch):
    """The records of the saved search listed in the last `feed_days()` days, newest first,
    as its owner may see them."""
    query = jobs.saved_search_query(
        saved,
        created_after=timezone.now() - timedelta(days=feed_days()),
        limit=FEED_ITEMS,
    )
    hits = search_services.search(saved.user, query).hits
    return sorted(hits, key=lambda hit: hit.created or timezone.now(), reverse=True)


class SavedSearchFeed:
    """What the RSS and the Atom feed share."""

    def get_object(self, request, token, pk):
        user = feed_user(token)
        if user is None:
            raise Http404
        try:
            saved = SavedSearch.objects.select_related("user").get(pk=pk, user=user)
        except SavedSearch.DoesNotExist as missing:
            raise Http404 from missing
        saved.feed_hits = feed_items(saved)
        return saved

    def title(self, saved):
        return f"{saved.name} – {settings.SITE_NAME}"

    def link(self, saved):
        return jobs.search_url(saved)

    def description(self, saved):
        return _("Bản ghi mới phù hợp với tìm kiếm đã lưu “%(name)s”.") % {"name": saved.name}

    def items(self, saved):
        return saved.feed_hits

    def item_title(self, hit):
        return hit.title

    def item_description(self, hit):
        return hit.subtitle

    def item_link(self, hit):
        return hit.url

    def item_guid(self, hit):
        return f"{settings.SITE_URL}/{hit.type}/{hit.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, hit):
        return hit.created

    def item_updateddate(self, hit):
        return hit.created


class RssFeed(SavedSearchFeed, Feed):
    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # A private address: never cached by proxies, never indexed by search engines.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


class AtomFeed(RssFeed):
    feed_type = Atom1Feed

    def subtitle(self, saved):
        return self.description(saved)
