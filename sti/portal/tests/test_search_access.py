"""Search never shows what `visible_to` hides: every registered type × every persona.

Generated from the search registry: a type a future app registers is covered with nothing to
add here. The world is the sample data of every app (which includes a confidential task, a
draft, hidden researcher profiles, registered-only, staff-only and embargoed documents and a
deposit under review), indexed once for the module; the personas are an anonymous visitor, a
registered user (who has a deposit under review), a plain member and a reporter of the
organization owning the most restricted records, a reporter of another organization, an
expert, an editor and an administrator.

For each pair the test checks hits, totals and facet counts of a browse, of searches for the
titles of records the persona may not see, of "more like this", of the API and of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings

from sti.accounts.models import Membership, User
from sti.directory.models import Organization, Researcher
from sti.portal.sample import load_all
from sti.search import services
from sti.search.base import MAX_RESULT_WINDOW, SearchQuery
from sti.search.registry import all_specs

PERSONAS = [
    "anonymous",
    "registered",
    "member",
    "reporter_own",
    "reporter_other",
    "expert",
    "editor",
    "admin",
]
TYPES = [spec.type for spec in all_specs()]
PAGE = 200  # the most hits one search returns (the tantivy backend's MAX_LIMIT)


@dataclass
class World:
    personas: dict[str, User | None]
    # type → pk → the indexed document's title, URL and facet values
    indexed: dict[str, dict[str, dict]]


def _indexed_records() -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for spec in all_specs():
        records = {}
        for obj in spec.indexed_queryset():
            document = spec.document_for(obj)
            if document is not None:
                records[document.pk] = {
                    "title": document.title,
                    "url": document.url,
                    "principals": list(document.principals),
                    "tags": {name for name, _value in document.tags},
                }
        out[spec.type] = records
    return out


def _visible(spec, user) -> set[str]:
    return {str(pk) for pk in spec.model.objects.visible_to(user).values_list("pk", flat=True)}


def _member(username: str, organization: Organization, role: str) -> User:
    user = User.objects.create_user(username=username, password="x", full_name=username)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def _owning_organization() -> Organization:
    """The organization whose reporter sees the most records a plain member does not, then
    the most records an anonymous visitor does not, judged by `visible_to` alone (never by
    the principals under test)."""
    public = {spec.type: _visible(spec, None) for spec in all_specs()}
    best, best_score = None, (-1, -1)
    for organization in Organization.objects.order_by("pk"):
        with transaction.atomic():
            reporter = _member("ma_tran_tham_do", organization, "reporter")
            member = _member("ma_tran_tham_do_tv", organization, "member")
            seen = {spec.type: _visible(spec, reporter) for spec in all_specs()}
            score = (
                sum(len(seen[spec.type] - _visible(spec, member)) for spec in all_specs()),
                sum(len(seen[spec.type] - public[spec.type]) for spec in all_specs()),
            )
            transaction.set_rollback(True)
        if score > best_score:
            best, best_score = organization, score
    return best


def _personas() -> dict[str, User | None]:
    own = _owning_organization()
    other = Organization.objects.exclude(pk=own.pk).order_by("pk").first()
    expert = User.objects.create_user(username="ma_tran_chuyen_gia", password="x")
    Researcher.objects.filter(is_expert=True).exclude(organization=own).order_by("pk").update(
        user=None
    )
    profile = Researcher.objects.filter(is_expert=True).exclude(organization=own).first()
    profile.user = expert
    profile.save(update_fields=["user"])
    return {
        "anonymous": None,
        "registered": User.objects.get(username="nguoidung"),
        "member": _member("ma_tran_thanh_vien", own, "member"),
        "reporter_own": _member("ma_tran_bao_cao", own, "reporter"),
        "reporter_other": _member("ma_tran_bao_cao_khac", other, "reporter"),
        "expert": expert,
        "editor": User.objects.get(username="bientap"),
        "admin": User.objects.get(username="quantri"),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    base = tmp_path_factory.mktemp("access-matrix")
    with (
        django_db_blocker.unblock(),
        override_settings(
            STI_SEARCH_INDEX_DIR=base / "index",
            STI_SEARCH_WRITER_HEAP_MB=50,
            MEDIA_ROOT=base / "files",
        ),
    ):
        services.reset_backend()
        with transaction.atomic():
            load_all(lambda message: None)
            personas = _personas()
            services.reindex()
            yield World(personas=personas, indexed=_indexed_records())
            transaction.set_rollback(True)
        services.reset_backend()


# The module's world replaces the per-test index and files of sti/conftest.py.
@pytest.fixture(autouse=True)
def search_index(world):
    return services.get_backend()


@pytest.fixture(autouse=True)
def media_root():
    return None


def _search(user, type: str, text: str = "", **extra) -> tuple[set[str], int, dict]:
    """Every hit of a search, page by page (a page holds at most PAGE hits: the IP register's
    demo alone has 1,692 records), with the first page's total and facets."""
    filters = {"type": [type], **extra.pop("filters", {})}
    pks: set[str] = set()
    first = None
    offset = 0
    while True:
        query = SearchQuery(
            text=text, filters=filters, limit=PAGE, offset=offset, highlight=False, **extra
        )
        results = services.search(user, query)
        assert all(hit.type == type for hit in results.hits)
        first = first or results
        pks |= {hit.pk for hit in results.hits}
        offset += PAGE
        if not results.hits or offset >= min(results.total, MAX_RESULT_WINDOW):
            return pks, first.total, first.facets


@pytest.mark.django_db
@pytest.mark.parametrize("type", TYPES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_search_shows_only_what_visible_to_allows(world, persona, type):
    user = world.personas[persona]
    spec = next(spec for spec in all_specs() if spec.type == type)
    indexed = world.indexed[type]
    visible = _visible(spec, user)
    allowed = visible & set(indexed)
    hidden = set(indexed) - visible

    # Browse: hits, total and the type facet are exactly the visible indexed records.
    tag_names = sorted({name for record in indexed.values() for name in record["tags"]})
    facets = ["type", "field", "year", *tag_names]
    hits, total, facet_counts = _search(user, type, facets=facets)
    assert hits <= visible, f"{persona} finds hidden {type} records {sorted(hits - visible)}"
    assert hits == allowed
    assert total == len(hits)
    type_counts = {value.value: value.count for value in facet_counts.get("type", [])}
    assert type_counts.get(type, 0) == len(allowed)

    # Every facet count equals the total of the search it leads to, whose hits are visible.
    for name in facets[1:]:
        for value in facet_counts.get(name, []):
            found, found_total, _ = _search(user, type, filters={name: [value.value]})
            assert found <= visible and found_total == len(found)
            assert value.count == found_total, f"{persona}: {name}={value.value} facet count"

    # Searching for the titles of hidden records finds none of them.
    for pk in sorted(hidden)[:8]:
        found, found_total, found_facets = _search(
            user, type, indexed[pk]["title"], facets=["type"]
        )
        assert found <= visible and pk not in found
        assert found_total == len(found)
        counts = {value.value: value.count for value in found_facets.get("type", [])}
        assert counts.get(type, 0) == found_total

    # More like this, from a record the persona may see, suggests nothing hidden.
    for pk in sorted(allowed)[:3]:
        similar = services.more_like_this(user, type, pk, limit=20)
        assert {hit.pk for hit in similar if hit.type == type} <= visible


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_and_page_never_show_hidden_records(world, persona):
    user = world.personas[persona]
    client = Client()
    if user is not None:
        client.force_login(user)
    for spec in all_specs():
        indexed = world.indexed[spec.type]
        hidden = sorted(set(indexed) - _visible(spec, user))
        for pk in hidden[:4]:
            title = indexed[pk]["title"]
            api = client.get("/api/search/", {"q": title, "type": spec.type, "size": 100})
            assert api.status_code == 200
            body = api.json()
            assert pk not in {hit["pk"] for hit in body["hits"] if hit["type"] == spec.type}
            assert body["total"] == len(body["hits"]) or body["total"] > 100
            page = client.get("/tim-kiem/", {"q": title, "type": spec.type})
            assert page.status_code == 200
            assert f'href="{indexed[pk]["url"]}"' not in page.content.decode()


def test_the_world_holds_records_some_personas_may_not_see(world):
    """Guard against a vacuous matrix: each persona below editor misses something."""
    for persona in ("anonymous", "registered", "member", "reporter_other", "expert"):
        user = world.personas[persona]
        missed = sum(
            len(set(world.indexed[spec.type]) - _visible(spec, user)) for spec in all_specs()
        )
        assert missed > 0, persona
    # The plain member of the owning organization misses records its reporter sees.
    member, reporter = world.personas["member"], world.personas["reporter_own"]
    task_spec = next(spec for spec in all_specs() if spec.type == "task")
    assert _visible(task_spec, reporter) - _visible(task_spec, member)
