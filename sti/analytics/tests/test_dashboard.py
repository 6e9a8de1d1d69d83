"""The dashboard, its downloads and the API: who may use them, what they give, and how bad
input is refused (never a 5xx)."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.utils.html import escape

from sti.accounts.tokens import create_token
from sti.analytics.indicators import Scope, all_indicators, figure
from sti.core.testing import STAFF, assert_flat_queries, persona_user
from sti.directory.models import Organization
from sti.projects.models import Task

DASHBOARD = "/phan-tich/"
PNG = "/phan-tich/chi-tieu/{code}/{kind}.png"
CSV = "/phan-tich/chi-tieu/{code}.csv"
API = "/api/analytics/indicators"
PERIOD = {"from": 2021, "to": 2023}
URLS = [
    DASHBOARD,
    PNG.format(code="tasks.by_level", kind="xu-huong"),
    PNG.format(code="ip.filings", kind="co-cau"),
    CSV.format(code="tasks.by_level"),
]
PERSONAS = [
    "anonymous",
    "registered",
    "member_a",
    "reporter_a",
    "reporter_b",
    "expert_user",
    "editor",
    "admin_user",
]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'phân tích')}"}


@pytest.mark.parametrize(("persona", "url"), list(itertools.product(PERSONAS, URLS)))
def test_pages_are_for_editors_and_leaders(request, client_for, persona, url):
    user = persona_user(request, persona)
    response = client_for(user).get(url, PERIOD)
    if persona in STAFF:
        assert response.status_code == 200
    elif user is None:
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_is_for_editor_tokens(request, client, persona):
    user = persona_user(request, persona)
    headers = bearer(user) if user is not None else {}
    listed = client.get(API, **headers)
    series = client.get(f"{API}/tasks.by_level", PERIOD, **headers)
    expected = 200 if persona in STAFF else 401 if user is None else 403
    assert listed.status_code == expected and series.status_code == expected


def test_dashboard_shows_each_figure_with_its_links(world, client_for, editor):
    response = client_for(editor).get(DASHBOARD, {"from": 2019, "to": 2025})
    text = response.content.decode()
    for indicator in all_indicators():
        assert escape(str(indicator.name)) in text
        assert f"{CSV.format(code=indicator.code)}?from=2019&amp;to=2025&amp;scheme=2025" in text
    tasks = figure("tasks.by_level", response.context["form"].scope)
    assert tasks.value > 0 and f'href="{tasks.url}"' in text.replace("&amp;", "&")
    assert "trend-data" in text and "chart.umd.min.js" in text


def test_dashboard_filters_by_area_in_both_schemes(world, client_for, editor):
    client = client_for(editor)
    before = client.get(
        DASHBOARD, {"from": 2019, "to": 2025, "scheme": "before", "admin_unit": "93"}
    )
    cards = {c.indicator.code: c for s in before.context["sections"] for c in s.cards}
    scope = before.context["form"].scope
    assert scope.admin_unit == "93" and scope.scheme == "before"
    assert cards["tasks.started"].total == figure("tasks.started", scope)
    assert [y for y, _f in cards["tasks.started"].trend] == list(range(2019, 2026))
    # "93" (old Hậu Giang) is no province after the merger: refused with a message, no figures
    after = client.get(DASHBOARD, {"from": 2019, "to": 2025, "admin_unit": "93"})
    assert after.status_code == 200 and after.context["sections"] == []
    assert "admin_unit" in after.context["form"].errors


def test_the_province_chosen_in_a_group_keeps_its_scheme(client_for, editor):
    """Code 92 is Cần Thơ before and after the 2025 merger: the option of the "before" group
    gives the old city even when the scheme select was left on "after", and shows selected."""
    from sti.analytics.reports.forms import DraftForm
    from sti.analytics.reports.models import ReportDraft

    client = client_for(editor)
    page = client.get(DASHBOARD, {"from": 2019, "to": 2019, "admin_unit": "before:92"})
    scope = page.context["form"].scope
    assert (scope.admin_unit, scope.scheme) == ("92", "before")
    assert 'value="before:92" selected' in page.content.decode()
    plain = client.get(
        DASHBOARD, {"from": 2019, "to": 2019, "scheme": "before", "admin_unit": "92"}
    )
    assert 'value="before:92" selected' in plain.content.decode()
    assert plain.context["form"].query() == "from=2019&to=2019&scheme=before&admin_unit=92"
    data = {"template_key": "nq02-ba-nam", "start_year": 2017, "end_year": 2019}
    form = DraftForm({**data, "scheme": "2025", "admin_unit": "before:93"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["scheme"], form.cleaned_data["admin_unit"]) == ("before", "93")
    client.post("/phan-tich/bao-cao/", {**data, "scheme": "2025", "admin_unit": "before:92"})
    draft = ReportDraft.objects.get()
    assert (draft.scheme, draft.admin_unit) == ("before", "92")


@pytest.mark.parametrize(
    "params",
    [
        {"from": 2025, "to": 2020},
        {"from": "hai nghìn", "to": 2024},
        {"from": 1900, "to": 2024},
        {"from": 2000, "to": 2024},  # longer than the dashboard allows
        {"scheme": "1975"},
        {"admin_unit": "Cần Thơ"},
    ],
)
def test_bad_filters_are_refused_without_a_server_error(client_for, editor, params):
    client = client_for(editor)
    page = client.get(DASHBOARD, params)
    assert page.status_code == 200 and page.context["sections"] == []
    assert client.get(CSV.format(code="ip.grants"), params).status_code == 400
    assert client.get(PNG.format(code="ip.grants", kind="co-cau"), params).status_code == 400
    api = client.get(f"{API}/ip.grants", params, **bearer(editor))
    assert api.status_code == 422
    assert api.json()["errors"] and api.json()["code"]


def test_unknown_indicator_or_chart_is_404(client_for, editor):
    client = client_for(editor)
    assert client.get(CSV.format(code="khong.co")).status_code == 404
    assert client.get(PNG.format(code="khong.co", kind="co-cau")).status_code == 404
    assert client.get(PNG.format(code="ip.grants", kind="banh")).status_code == 404
    assert client.get(f"{API}/khong.co", **bearer(editor)).status_code == 404


def test_csv_holds_the_series_and_its_breakdown(world, client_for, editor):
    response = client_for(editor).get(
        CSV.format(code="ip.filings"), {"from": 2020, "to": 2022, "admin_unit": "92"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "ip.filings-2020-2022.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Năm", "Mã chỉ tiêu", "Mã nhóm", "Nhóm", "Giá trị"]
    for year in (2020, 2021, 2022):
        expected = figure("ip.filings", Scope.year(year, admin_unit="92"))
        total = [r for r in body if r[0] == str(year) and r[2] == ""]
        assert [float(total[0][4])] == [expected.value]
        parts = {r[2]: float(r[4]) for r in body if r[0] == str(year) and r[2]}
        assert parts == {k: v for k, _l, v in expected.breakdown}
    assert sum(float(r[4]) for r in body if r[2] == "") > 0


def test_png_charts_are_drawn_on_the_server(world, client_for, editor):
    client = client_for(editor)
    for kind in ("xu-huong", "co-cau"):
        response = client.get(PNG.format(code="tasks.by_status", kind=kind), PERIOD)
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG") and len(response.content) > 2000


def test_api_lists_definitions_and_series(world, client, editor):
    listed = client.get(API, **bearer(editor)).json()
    assert [item["code"] for item in listed] == [i.code for i in all_indicators()]
    grants = next(item for item in listed if item["code"] == "ip.grants")
    assert grants["name_en"] == "IP titles granted, by type" and grants["unit"] == "văn bằng"
    answer = client.get(
        f"{API}/tasks.by_level",
        {"from": 2019, "to": 2025, "admin_unit": "92", "scheme": "before"},
        **bearer(editor),
    ).json()
    assert answer["admin_unit"] == "92" and answer["scheme"] == "before"
    assert [p["year"] for p in answer["series"]] == list(range(2019, 2026))
    for point in answer["series"]:
        expected = figure(
            "tasks.by_level", Scope.year(point["year"], admin_unit="92", scheme="before")
        )
        assert point["value"] == expected.value
        assert [(b["key"], b["value"]) for b in point["breakdown"]] == [
            (k, v) for k, _l, v in expected.breakdown
        ]
    assert sum(p["value"] for p in answer["series"]) > 0


def test_dashboard_queries_do_not_grow_with_the_records(client_for, editor):
    org = Organization.objects.create(name="Viện Công nghệ sinh học Cần Thơ", kind="institute")
    counter = itertools.count()

    def add_tasks(n):
        for _ in range(n):
            i = next(counter)
            Task.objects.create(
                title=f"Nhiệm vụ {i}",
                host=org,
                status="dang_thuc_hien",
                planned_start=f"{2021 + i % 3}-03-01",
                planned_end="2024-12-31",
            )

    # 109 when each indicator was computed year by year; now one grouped query per indicator.
    assert_flat_queries(client_for(editor), DASHBOARD, add_tasks, at_most=32, params=PERIOD)


def test_a_longer_trend_costs_no_more_queries(
    world, client_for, editor, django_assert_max_num_queries
):
    """Each indicator's total and every year of its trend come from one grouped query: the
    count is the same for 2 years as for the most a dashboard shows (15)."""
    client = client_for(editor)
    client.get(DASHBOARD, {"from": 2024, "to": 2025})  # warm caches (menus, code lists)
    with django_assert_max_num_queries(32):
        short = client.get(DASHBOARD, {"from": 2024, "to": 2025})
    with django_assert_max_num_queries(32):
        long = client.get(DASHBOARD, {"from": 2011, "to": 2025})
    assert short.status_code == long.status_code == 200
    cards = {c.indicator.code: c for s in long.context["sections"] for c in s.cards}
    for code in ("tasks.by_level", "ip.filings", "market.contracts", "library.documents"):
        assert [year for year, _f in cards[code].trend] == list(range(2011, 2026))
        for year, point in cards[code].trend[-3:]:
            assert point == figure(code, Scope.year(year))
    # A task running through several years counts in each of them, once in the total.
    by_level = cards["tasks.by_level"]
    assert by_level.total.value <= sum(point.value for _y, point in by_level.trend)


def test_figures_link_to_their_records_in_the_same_province(world, client_for, editor):
    """A figure for a province links to its list narrowed to that province (the lists'
    shared `province` filter); a list that cannot narrow says so beside the figure."""
    client = client_for(editor)
    page = client.get(DASHBOARD, {"from": 2021, "to": 2021, "admin_unit": "before:93"})
    cards = {c.indicator.code: c for s in page.context["sections"] for c in s.cards}
    tasks = cards["tasks.by_level"].total
    assert "province=before:93" in tasks.url and "year=2021" in tasks.url and not tasks.url_note
    assert "province=before:93" in cards["ip.filings"].total.url
    listed = client.get(tasks.url)
    assert listed.status_code == 200
    area = Organization.objects.in_province("93", "before")
    shown = list(listed.context["page"].object_list)
    assert shown and all(task.host_id in set(area.values_list("pk", flat=True)) for task in shown)
    assert len(shown) < client.get(tasks.url.split("&province")[0]).context["page"].paginator.count
    # The library is a search page: no province there, and the dashboard says so.
    library = cards["library.documents"].total
    assert "province" not in library.url and library.url_note
    assert escape(library.url_note) in page.content.decode()
    whole = client.get(DASHBOARD, {"from": 2021, "to": 2021})
    cards = {c.indicator.code: c for s in whole.context["sections"] for c in s.cards}
    assert "province" not in cards["tasks.by_level"].total.url
    assert not cards["library.documents"].total.url_note


@pytest.mark.parametrize("value", ["before:93", "92", "2025:92", "before:xx", "Cần Thơ", "1:2:3"])
def test_every_list_accepts_the_province_filter(world, client, value):
    lists = ("/nhiem-vu/", "/so-huu-tri-tue/", "/dao-tao/", "/tin-tuc/", "/danh-ba/to-chuc/")
    for url in (*lists, "/danh-ba/nha-khoa-hoc/"):
        assert client.get(url, {"province": value}).status_code == 200, url


@pytest.mark.parametrize("persona", ["editor", "reporter_a"])
def test_api_refuses_empty_years_as_its_schema_says(request, client, persona):
    """`?from=&to=` is not a year: a 422 that names the field, as the published schema
    declares (API fuzzing holds every endpoint to its schema); no parameter is the default
    period."""
    user = persona_user(request, persona)
    if persona == "reporter_a":  # refused whatever it asks
        assert client.get(f"{API}/tasks.by_level", **bearer(user)).status_code == 403
        return
    answer = client.get(f"{API}/tasks.by_level", {"from": "", "to": ""}, **bearer(user))
    assert answer.status_code == 422 and "from" in answer.content.decode()
    years = [
        point["year"]
        for point in client.get(f"{API}/tasks.by_level", **bearer(user)).json()["series"]
    ]
    this_year = __import__("datetime").date.today().year
    assert years == list(range(this_year - 4, this_year + 1))
    assert client.get(f"{API}/tasks.by_level", {"from": "x"}, **bearer(user)).status_code == 422
    for url in ("/api/projects/tasks", "/api/ip/filings", "/api/search/"):
        assert client.get(url, {"year": "", "offset": "", "page": ""}).status_code == 422, url
