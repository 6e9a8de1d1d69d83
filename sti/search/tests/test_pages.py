"""The global search page `/tim-kiem/` and the API `/api/search/`, as each persona sees them."""

import pytest

from sti.search import services


@pytest.fixture
def people(db, org_a, org_b, run_on_commit):
    """One public profile, and one hidden profile that belongs to organization A."""
    from sti.directory.models import Researcher

    with run_on_commit():
        public = Researcher.objects.create(
            full_name="Nguyễn Văn Đường",
            is_public=True,
            organization=org_b,
            expertise="lúa chịu mặn",
        )
        hidden = Researcher.objects.create(
            full_name="Trần Thị Dương",
            is_public=False,
            organization=org_a,
            expertise="lúa chịu mặn",
        )
    return public, hidden


def _page(client, **params):
    response = client.get("/tim-kiem/", params)
    assert response.status_code == 200
    return response.content.decode()


def _api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200
    return response.json()


def _type_count(payload, type_):
    return {f["value"]: f["count"] for f in payload["facets"].get("type", [])}.get(type_, 0)


def test_folded_query_finds_accented_names_with_marks(client, people):
    html = _page(client, q="nguyen van duong")
    assert "<mark>Nguyễn</mark> <mark>Văn</mark> <mark>Đường</mark>" in html
    assert "Kết quả" in html or "kết quả" in html


def test_hidden_profile_invisible_to_anonymous_in_results_and_facets(client, people):
    public, hidden = people
    html = _page(client, q="lua chiu man")
    assert "Nguyễn Văn Đường" in html
    assert "Trần Thị Dương" not in html
    payload = _api(client, q="lua chiu man", type="researcher")
    assert [hit["pk"] for hit in payload["hits"]] == [str(public.pk)]
    assert payload["total"] == 1
    assert _type_count(payload, "researcher") == 1


def test_hidden_profile_invisible_to_registered_user_of_another_organization(
    client_for, people, registered, reporter_b
):
    for user in (registered, reporter_b):
        payload = _api(client_for(user), q="lua chiu man")
        assert payload["total"] == 1
        assert _type_count(payload, "researcher") == 1


@pytest.mark.parametrize("persona", ["editor", "reporter_a"])
def test_hidden_profile_visible_to_editor_and_its_organization(
    client_for, people, persona, request
):
    public, hidden = people
    user = request.getfixturevalue(persona)
    payload = _api(client_for(user), q="lua chiu man")
    assert sorted(hit["pk"] for hit in payload["hits"]) == sorted([str(public.pk), str(hidden.pk)])
    assert _type_count(payload, "researcher") == 2
    assert "Trần Thị <mark>Dương</mark>" in _page(client_for(user), q="duong")


def test_exact_diacritics_rank_first_on_the_page(client, db, run_on_commit):
    from sti.directory.models import Organization

    with run_on_commit():
        Organization.objects.create(name="Viện Cây dương", kind="institute")
        Organization.objects.create(name="Công ty Mía đường Cần Thơ", kind="enterprise")
    payload = _api(client, q="đường")
    assert [hit["title"] for hit in payload["hits"]][0] == "Công ty Mía đường Cần Thơ"
    assert payload["total"] == 2


def test_page_facets_filters_and_pagination_without_javascript(client, db, run_on_commit):
    from sti.directory.models import Organization, Researcher

    with run_on_commit():
        for number in range(25):
            Organization.objects.create(name=f"Hợp tác xã lúa số {number}", kind="cooperative")
        Researcher.objects.create(full_name="Lê Lúa", is_public=True, expertise="lúa")
    html = _page(client, q="lua")
    assert "26 kết quả" in html
    # Facet links are plain GET links that toggle a filter.
    assert "?q=lua&amp;type=researcher" in html
    assert 'action="/tim-kiem/"' in html and 'method="get"' in html
    filtered = _page(client, q="lua", type="researcher")
    assert "1 kết quả" in filtered
    assert "Lê <mark>Lúa</mark>" in filtered
    # The type facet keeps the other type visible while one is selected.
    assert "Tổ chức KH&amp;CN" in filtered
    page2 = _page(client, q="lua", page=2)
    assert "Trang 2 / 2" in page2
    # Active filters can be removed one by one.
    years = _page(client, q="lua", type="researcher", year_from=2000)
    assert "Bỏ tất cả bộ lọc" in years
    assert 'href="?q=lua&amp;year_from=2000"' in years


def test_htmx_request_gets_only_the_results(client, people):
    full = _page(client, q="lua")
    partial = client.get("/tim-kiem/", {"q": "lua"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in partial
    assert 'id="search-page"' in partial
    assert "Nguyễn Văn Đường" in partial


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 100_000},
        {"q": '"unmatched'},
        {"q": "!!!"},
        {"q": "lua", "page": "999999999999"},
        {"q": "lua", "page": "abc", "size": "-1"},
        {"q": "lua", "year": "abc", "year_from": "99999999999999999999999"},
        {"q": "lua", "sort": "drop table"},
        {"q": "\x00"},
    ],
)
def test_garbage_parameters_never_fail(client, people, params):
    assert client.get("/tim-kiem/", params).status_code == 200
    # The API validates its typed parameters (422) but never fails (500).
    assert client.get("/api/search/", params).status_code in (200, 422)


def test_api_filters_by_field_code_prefix(client, db, run_on_commit):
    from sti.core.models import FieldOfScience
    from sti.directory.models import Organization

    field = FieldOfScience.objects.current().filter(level=3).first()
    with run_on_commit():
        org = Organization.objects.create(name="Viện Đồng bằng", kind="institute")
        org.fields.set([field])
    assert _api(client, q="dong bang", field=field.code[:1])["total"] == 1
    assert _api(client, q="dong bang", field="9")["total"] == 0


def test_services_search_replaces_the_callers_principals(db, people, registered):
    from sti.search.base import SearchQuery

    # A caller cannot widen access by filling in principals itself.
    query = SearchQuery(text="lua chiu man", principals=None)
    assert services.search(registered, query).total == 1
    assert services.principals_for(None) == ["public"]


def test_a_count_that_stopped_at_its_limit_shows_a_plus(client, people, monkeypatch):
    """A backend that stops counting (the PostgreSQL one, past `count_limit`) says so: the
    page shows "1.000+", the API `total_is_lower_bound`; an exact count shows no plus."""
    exact = _api(client, q="lua chiu man")
    assert exact["total"] == 1 and exact["total_is_lower_bound"] is False
    assert "1 kết quả" in _page(client, q="lua chiu man")
    backend = services.get_backend()
    search = backend.search

    def stopped(query):
        results = search(query)
        results.total, results.total_is_lower_bound = 1000, True
        return results

    monkeypatch.setattr(backend, "search", stopped)
    html = _page(client, q="lua chiu man")
    assert "1.000+ kết quả" in html or "1,000+ kết quả" in html
    payload = _api(client, q="lua chiu man")
    assert payload["total"] == 1000 and payload["total_is_lower_bound"] is True
