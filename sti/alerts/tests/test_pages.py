"""The alerts pages for every persona: saving from the search page, following, editing and
deleting one's own searches (and never another's), the private feeds."""

from __future__ import annotations

import feedparser
import pytest

from sti.alerts import services
from sti.alerts.choices import AlertKind, DigestFrequency
from sti.alerts.models import FeedToken, SavedSearch
from sti.core.models import AuditEntry
from sti.core.testing import ANONYMOUS, LOGIN, PERSONAS, assert_refused, persona_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(member_a):
    """Saved searches belong to a plain member of organization A in these tests."""
    return member_a


@pytest.fixture
def owned(owner):
    return services.save_search(
        owner, name="Tôm thẻ chân trắng", query="tôm thẻ", filters={"field": ["401"]}
    )


# ---------------------------------------------------------------------------
# "Thông báo của tôi"
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("persona", PERSONAS)
def test_index_is_for_signed_in_users_and_lists_only_their_own(persona, request, client_for, owned):
    user = persona_user(request, persona)
    response = client_for(user).get("/thong-bao/")
    if persona == ANONYMOUS:
        assert_refused(response, LOGIN)
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông báo của tôi" in page
    assert ("Tôm thẻ chân trắng" in page) == (persona == "member_a")
    if persona == "member_a":
        assert "401 " in page and f"/thong-bao/{owned.pk}/sua/" in page
        assert "/nguon-tin/" in page  # the private feed addresses


# ---------------------------------------------------------------------------
# Saving a search from the search page
# ---------------------------------------------------------------------------
def test_search_page_offers_to_save_the_current_search(client_for, registered):
    page = client_for(registered).get("/tim-kiem/", {"q": "lúa", "type": "task"}).content.decode()
    assert "Lưu tìm kiếm / Nhận thông báo" in page
    assert "/thong-bao/luu/?q=" in page
    # Nothing to save on an empty search.
    empty = client_for(registered).get("/tim-kiem/").content.decode()
    assert "Lưu tìm kiếm / Nhận thông báo" not in empty


@pytest.mark.parametrize("persona", PERSONAS)
def test_save_search_allowed_for_every_signed_in_persona(persona, request, client_for):
    user = persona_user(request, persona)
    client = client_for(user)
    params = {"q": "lúa chịu mặn", "type": "task", "field": "401", "year_from": "2020"}
    form = client.get("/thong-bao/luu/", params)
    if persona == ANONYMOUS:
        assert_refused(form, LOGIN)
        assert client.post("/thong-bao/luu/", {**params, "name": "x"}).status_code == 302
        assert SavedSearch.objects.count() == 0
        return
    assert form.status_code == 200
    text = form.content.decode()
    assert 'value="lúa chịu mặn"' in text and "Nhiệm vụ KH&amp;CN" in text
    response = client.post(
        "/thong-bao/luu/", {**params, "name": "Lúa mặn", "frequency": DigestFrequency.DAILY}
    )
    assert response.status_code == 302 and response["Location"] == "/thong-bao/"
    saved = SavedSearch.objects.get(user=user)
    assert (saved.name, saved.query, saved.filters, saved.year_from, saved.frequency) == (
        "Lúa mặn",
        "lúa chịu mặn",
        {"type": ["task"], "field": ["401"]},
        2020,
        "daily",
    )
    assert AuditEntry.objects.filter(object_type="alerts.savedsearch", action="create").exists()


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "Tìm kiếm trống"),
        ({"type": "khong-co"}, "Không có loại bản ghi"),
        ({"field": "abc"}, "Mã lĩnh vực"),
        ({"q": "lúa", "year_from": "2025", "year_to": "2020"}, "Năm bắt đầu phải trước"),
    ],
)
def test_bad_saved_search_gets_a_vietnamese_message(client_for, registered, params, message):
    response = client_for(registered).post(
        "/thong-bao/luu/", {**params, "name": "Thử", "frequency": "weekly"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SavedSearch.objects.count() == 0


def test_bad_frequency_and_missing_name_are_form_errors(client_for, registered):
    response = client_for(registered).post(
        "/thong-bao/luu/", {"q": "lúa", "name": "", "frequency": "hourly"}
    )
    assert response.status_code == 200 and SavedSearch.objects.count() == 0
    assert "is-invalid" in response.content.decode()


# ---------------------------------------------------------------------------
# Following
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("persona", PERSONAS)
def test_follow_an_organization_from_its_page(persona, request, client_for, org_b):
    user = persona_user(request, persona)
    client = client_for(user)
    page = client.get(f"/danh-ba/to-chuc/{org_b.pk}/").content.decode()
    assert ("Theo dõi" in page) == (persona != ANONYMOUS)
    data = {
        "name": "organization",
        "value": str(org_b.pk),
        "label": org_b.name,
        "next": f"/danh-ba/to-chuc/{org_b.pk}/",
    }
    response = client.post("/thong-bao/theo-doi/", data)
    if persona == ANONYMOUS:
        assert_refused(response, LOGIN)
        assert SavedSearch.objects.count() == 0
        return
    assert response.status_code == 302 and response["Location"] == data["next"]
    follow = SavedSearch.objects.get(user=user)
    assert (follow.kind, follow.filters, follow.name) == (
        AlertKind.FOLLOW,
        {"organization": [str(org_b.pk)]},
        org_b.name,
    )
    client.post("/thong-bao/theo-doi/", data)  # following twice keeps one follow
    assert SavedSearch.objects.filter(user=user).count() == 1


def test_follow_a_field_from_the_search_page(client_for, registered):
    client = client_for(registered)
    page = client.get("/tim-kiem/", {"field": "401"}).content.decode()
    assert "Theo dõi lĩnh vực này" in page
    client.post("/thong-bao/theo-doi/", {"name": "field", "value": "401", "next": "/tim-kiem/"})
    follow = SavedSearch.objects.get(user=registered)
    assert follow.filters == {"field": ["401"]} and follow.name.startswith("Lĩnh vực KH&CN: 401")


def test_follow_refuses_bad_input_and_unsafe_next(client_for, registered):
    client = client_for(registered)
    response = client.post(
        "/thong-bao/theo-doi/", {"name": "bad name!", "value": "1", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert SavedSearch.objects.count() == 0
    assert client.get("/thong-bao/theo-doi/").status_code == 405
    response = client.post(
        "/thong-bao/theo-doi/",
        {"name": "organization", "value": "abc", "next": "/tim-kiem/"},
        follow=True,
    )
    assert "Giá trị “abc” không hợp lệ." in response.content.decode()
    assert SavedSearch.objects.count() == 0


# ---------------------------------------------------------------------------
# Editing and deleting: the owner only (404 for everyone else, staff included)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_own_saved_search_only(persona, request, client_for, owned):
    user = persona_user(request, persona)
    client = client_for(user)
    url = f"/thong-bao/{owned.pk}/sua/"
    data = {"name": "Tôm sú", "query": "tôm sú", "frequency": "none"}
    form, response = client.get(url), client.post(url, data)
    owned.refresh_from_db()
    if persona == ANONYMOUS:
        assert_refused(form, LOGIN)
        assert_refused(response, LOGIN)
    elif persona != "member_a":
        assert form.status_code == 404 and response.status_code == 404
    if persona != "member_a":
        assert (owned.name, owned.frequency) == ("Tôm thẻ chân trắng", "weekly")
        return
    assert form.status_code == 200 and response.status_code == 302
    assert (owned.name, owned.query, owned.frequency) == ("Tôm sú", "tôm sú", "none")
    entry = AuditEntry.objects.filter(object_type="alerts.savedsearch", action="update").get()
    assert entry.changes["name"] == ["Tôm thẻ chân trắng", "Tôm sú"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_own_saved_search_only(persona, request, client_for, owned):
    user = persona_user(request, persona)
    client = client_for(user)
    url = f"/thong-bao/{owned.pk}/xoa/"
    form, response = client.get(url), client.post(url)
    exists = SavedSearch.objects.filter(pk=owned.pk).exists()
    if persona == ANONYMOUS:
        assert_refused(response, LOGIN)
        assert exists
    elif persona != "member_a":
        assert form.status_code == 404 and response.status_code == 404 and exists
    else:
        assert form.status_code == 200 and response.status_code == 302 and not exists
        assert AuditEntry.objects.filter(action="delete", object_type="alerts.savedsearch")


def test_services_refuse_another_users_search(owned, reporter_a, editor):
    from django.core.exceptions import PermissionDenied

    for actor in (reporter_a, editor):
        with pytest.raises(PermissionDenied):
            services.update_saved_search(actor, owned, {"name": "x"})
        with pytest.raises(PermissionDenied):
            services.delete_saved_search(actor, owned)


def test_a_follow_edits_only_its_name_and_frequency(client_for, registered):
    follow, _ = services.follow(registered, "field", "401")
    client = client_for(registered)
    page = client.get(f"/thong-bao/{follow.pk}/sua/").content.decode()
    assert 'name="query"' not in page
    client.post(
        f"/thong-bao/{follow.pk}/sua/",
        {"name": "Nông nghiệp", "frequency": "daily", "query": "chen vao"},
    )
    follow.refresh_from_db()
    assert (follow.name, follow.frequency, follow.query) == ("Nông nghiệp", "daily", "")


# ---------------------------------------------------------------------------
# Private feeds
# ---------------------------------------------------------------------------
def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "private, no-store"
    return feedparser.parse(response.content)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_lists_what_its_owner_may_see(kind, salt_rice_world, client, reporter_a, member_a):
    from sti.alerts.tests.test_digests import EXPECTED

    world = salt_rice_world
    for user, expected in ((reporter_a, EXPECTED["baocao_a"]), (member_a, EXPECTED["thanhvien_a"])):
        saved = services.save_search(user, name="Lúa mặn", query="lua chiu man")
        token = services.feed_token_for(user).token
        parsed = _feed(client, f"/thong-bao/nguon-tin/{token}/{saved.pk}/{kind}/")
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.version == ("atom10" if kind == "atom" else "rss20")
        assert parsed.feed.title.startswith("Lúa mặn")
        assert {entry.title for entry in parsed.entries} == {world[k].title for k in expected}
        for entry in parsed.entries:
            assert entry.link.startswith("http://testserver/")
            assert entry.published_parsed is not None


def test_feed_token_is_needed_owned_and_revocable(client, client_for, owned, owner, registered):
    token = services.feed_token_for(owner).token
    url = f"/thong-bao/nguon-tin/{token}/{owned.pk}/rss/"
    assert client.get(url).status_code == 200
    # Another user's token cannot open this user's search, nor can a made-up one.
    other = services.feed_token_for(registered).token
    assert client.get(f"/thong-bao/nguon-tin/{other}/{owned.pk}/rss/").status_code == 404
    assert client.get(f"/thong-bao/nguon-tin/doan-bua/{owned.pk}/rss/").status_code == 404
    # Renewing the token (the owner only, by POST) revokes the old addresses.
    assert client.post("/thong-bao/nguon-tin/doi-ma/").status_code == 302  # login page
    assert FeedToken.objects.get(user=owner).token == token
    client_for(owner).post("/thong-bao/nguon-tin/doi-ma/")
    assert client.get(url).status_code == 404
    fresh = FeedToken.objects.get(user=owner).token
    assert fresh != token
    assert client.get(f"/thong-bao/nguon-tin/{fresh}/{owned.pk}/rss/").status_code == 200


def test_feed_of_a_deactivated_user_is_gone(client, owned, owner):
    token = services.feed_token_for(owner).token
    owner.is_active = False
    owner.save()
    assert client.get(f"/thong-bao/nguon-tin/{token}/{owned.pk}/atom/").status_code == 404


def test_feed_leaves_out_records_listed_before_its_window(
    salt_rice_world, client, registered, settings
):
    settings.STI_ALERTS_FEED_DAYS = 0
    saved = services.save_search(registered, name="Lúa", query="lua chiu man")
    token = services.feed_token_for(registered).token
    parsed = _feed(client, f"/thong-bao/nguon-tin/{token}/{saved.pk}/rss/")
    assert parsed.entries == []


def test_a_follows_results_open_on_the_search_page_filtered(
    salt_rice_world, client_for, registered, org_b
):
    follow, _created = services.follow(registered, "organization", str(org_b.pk))
    index = client_for(registered).get("/thong-bao/").content.decode()
    assert f"/tim-kiem/?organization={org_b.pk}&amp;sort=newest" in index
    page = client_for(registered).get("/tim-kiem/", {"organization": str(org_b.pk)})
    text = page.content.decode()
    assert f"Tổ chức: {org_b.name}" in text
    assert salt_rice_world["public_task"].title in text
    assert salt_rice_world["public_doc"].title not in text  # documents carry no organization
