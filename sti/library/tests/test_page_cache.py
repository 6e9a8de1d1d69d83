"""The anonymous page cache on the library, as an attacker would try it: a restricted
document never enters the cache for anonymous visitors, what an editor or a registered user
sees never reaches them, a new or changed document shows at once, on pages and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from sti.core import pagecache
from sti.library import services
from sti.library.choices import AccessLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache = caches[pagecache.CACHE_ALIAS]
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def shelf(make_document, run_on_commit):
    later = timezone.localdate() + dt.timedelta(days=60)
    with run_on_commit():
        return {
            access: make_document(
                f"Bí mật Cờ Đỏ KIN-{access}",
                access=access,
                embargo_until=later if access == AccessLevel.EMBARGOED else None,
            )
            for access in (
                AccessLevel.PUBLIC,
                AccessLevel.REGISTERED,
                AccessLevel.STAFF,
                AccessLevel.EMBARGOED,
            )
        }


def held(cache) -> bytes:
    return b"".join(cache._cache.values())


def title(document) -> bytes:
    """The title's ASCII mark (the API writes other letters as \\u escapes)."""
    return document.title.rsplit(" ", 1)[-1].encode()


RESTRICTED = (AccessLevel.REGISTERED, AccessLevel.STAFF, AccessLevel.EMBARGOED)


def test_restricted_documents_never_enter_the_cache(
    shelf, client_for, editor, registered, page_cache
):
    anonymous = Client()
    # Signed-in visitors first: what they see must not be kept for anyone.
    for user in (editor, registered):
        signed_in = client_for(user)
        for access in RESTRICTED:
            signed_in.get(f"/thu-vien/tai-lieu/{shelf[access].pk}/")
        signed_in.get("/thu-vien/")
        signed_in.get("/api/library/documents")
    for access in RESTRICTED:
        response = anonymous.get(f"/thu-vien/tai-lieu/{shelf[access].pk}/")
        assert response.status_code != 200
        assert title(shelf[access]) not in response.content
    listing = anonymous.get("/thu-vien/")
    api = anonymous.get("/api/library/documents")
    assert anonymous.get("/thu-vien/")["X-Cache"] == "HIT"
    assert anonymous.get("/api/library/documents")["X-Cache"] == "HIT"
    for response in (listing, api):
        assert title(shelf[AccessLevel.PUBLIC]) in response.content
    stored = held(page_cache)
    assert title(shelf[AccessLevel.PUBLIC]) in stored
    for access in RESTRICTED:
        assert title(shelf[access]) not in stored
        assert title(shelf[access]) not in listing.content + api.content


def test_anonymous_pages_never_reach_signed_in_users(shelf, client_for, editor):
    Client().get("/thu-vien/")
    assert Client().get("/thu-vien/")["X-Cache"] == "HIT"
    mine = client_for(editor).get("/thu-vien/")
    assert "X-Cache" not in mine
    assert title(shelf[AccessLevel.STAFF]) in mine.content


def test_api_with_a_token_is_never_served_from_the_cache(shelf, registered):
    from sti.accounts.tokens import create_token

    Client().get("/api/library/documents")
    token = create_token(registered, "thử")
    response = Client().get("/api/library/documents", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "X-Cache" not in response
    assert title(shelf[AccessLevel.REGISTERED]) in response.content


def test_a_new_or_restricted_document_shows_at_once(shelf, make_document, editor, run_on_commit):
    anonymous = Client()
    public = shelf[AccessLevel.PUBLIC]
    anonymous.get(f"/thu-vien/tai-lieu/{public.pk}/")
    anonymous.get("/api/library/documents")
    assert anonymous.get("/api/library/documents")["X-Cache"] == "HIT"
    with run_on_commit():
        fresh = make_document("Tài liệu mới MOI-TOANH")
    response = anonymous.get("/api/library/documents")
    assert response["X-Cache"] == "MISS" and title(fresh) in response.content
    # Restricting a public document takes it away from anonymous visitors at once.
    with run_on_commit():
        services.update_document(editor, public, {"access": AccessLevel.STAFF})
    page = anonymous.get(f"/thu-vien/tai-lieu/{public.pk}/")
    assert page.status_code != 200 and title(public) not in page.content
    assert title(public) not in anonymous.get("/api/library/documents").content


def test_a_cached_document_page_still_counts_its_views(shelf):
    from sti.library.models import UsageMonth

    public = shelf[AccessLevel.PUBLIC]
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
    url = f"/thu-vien/tai-lieu/{public.pk}/"
    answers = [Client().get(url, **browser)["X-Cache"] for _ in range(3)]
    # The view counter's own write does not drop the page it was counted on.
    assert answers == ["MISS", "HIT", "HIT"]
    Client().get(url, HTTP_USER_AGENT="Googlebot/2.1")  # robots are not counted
    assert UsageMonth.objects.get(document=public).views == 3
