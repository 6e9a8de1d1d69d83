"""Who sees aggregates: the public only the published copy (API), editors the current build
and the aggregate reports (pages, Excel, exports); a reporter of organization A never sees
organization B's figures, and no reporter reaches the aggregate pages."""

import io
import json

import pytest
from openpyxl import load_workbook

from sti.accounts.tokens import create_token
from sti.stats import aggregation, services
from sti.stats.tests.conftest import personnel_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(submissions, org_a, org_b, reporter_a, editor, run_on_commit):
    """Organizations A and B each file form 02 (A: 40 people, B: 7); both accepted; the
    worker has rebuilt the aggregates. Nothing is published yet."""
    values_b = {"02.01": "7", "02.01|qual.TS": "7", "02.03": "7", "02.03|qual.TS": "7"}
    for org, values in ((org_a, personnel_values()), (org_b, values_b)):
        submission = submissions[(org.pk, "02")]
        services.save_values(editor, submission, values)
        services.submit_submission(editor, submission)
        with run_on_commit():
            services.review_submission(editor, submission, accept=True)
    return submissions[(org_a.pk, "02")].period


def _total(body):
    return {(r["indicator"], r["option"]): r["value"] for r in body["rows"]}


def test_public_api_shows_only_the_published_copy(
    client, accepted, editor, org_b, submissions, settings
):
    # Two organizations only: this test is about the published copy, not disclosure control.
    settings.STI_STATS_MIN_PUBLIC_GROUP = 1
    assert aggregation.aggregate(accepted, published=False)  # built, but not public
    assert client.get("/api/stats/aggregates/2024").status_code == 404
    assert client.get("/api/stats/indicators/2024").status_code == 404
    assert client.get("/api/stats/aggregates").json() == []

    aggregation.publish(editor, accepted)
    body = client.get("/api/stats/aggregates/2024").json()
    assert _total(body)[("02.01", "")] == 47
    assert _total(body)[("02.01", "qual.TS")] == 12
    by_type = client.get("/api/stats/aggregates/2024?by=org_type&indicator=02.01").json()
    groups = {(r["group"], r["option"]): r for r in by_type["rows"]}
    assert groups[("university", "")]["value"] == 40
    assert groups[("institute", "")]["group_label"] == "Viện, trung tâm nghiên cứu"
    assert client.get("/api/stats/aggregates/2024?by=colour").status_code == 422

    indicators = {i["code"]: i for i in client.get("/api/stats/indicators/2024").json()}
    assert indicators["1402"]["value"] == 47
    assert indicators["1402"]["definition"].startswith("Số người làm việc")
    assert indicators["1405"]["computed"] is False and indicators["1405"]["value"] is None

    # B's form is reopened: the current build drops it, the public copy does not change
    # until an editor publishes again.
    services.review_submission(
        editor, submissions[(org_b.pk, "02")], accept=False, note="Kiểm tra lại"
    )
    aggregation.rebuild(accepted)
    assert _total(client.get("/api/stats/aggregates/2024").json())[("02.01", "")] == 47
    aggregation.publish(editor, accepted)
    assert _total(client.get("/api/stats/aggregates/2024").json())[("02.01", "")] == 40

    aggregation.unpublish(editor, accepted)
    assert client.get("/api/stats/aggregates/2024").status_code == 404


def test_a_reporter_never_sees_another_organizations_figures(
    client_for, accepted, reporter_a, org_b, submissions
):
    client = client_for(reporter_a)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(reporter_a, 'x')}"}
    listed = client.get("/api/stats/submissions", **headers).json()
    assert listed and all(s["organization"] != org_b.pk for s in listed)
    b_form = submissions[(org_b.pk, "02")]
    assert client.get(f"/api/stats/submissions/{b_form.pk}", **headers).status_code == 404
    assert client.get(f"/thong-ke/bao-cao/{b_form.pk}/").status_code == 404
    # The aggregate pages, reports and exports are for editors only.
    for url in (
        "/thong-ke/ky/2024/tong-hop/",
        "/thong-ke/ky/2024/tong-hop/bieu/02/",
        "/thong-ke/ky/2024/tong-hop/excel/",
        "/thong-ke/ky/2024/tong-hop/xuat.csv",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/thong-ke/ky/2024/tong-hop/cong-bo/").status_code == 403
    assert not aggregation.aggregate_set(accepted).is_published


def test_editor_pages_reports_and_exports(client_for, editor, accepted):
    client = client_for(editor)
    page = client.get("/thong-ke/ky/2024/tong-hop/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1402 – Số người trong các tổ chức khoa học và công nghệ" in text
    assert "Chưa công bố" in text

    report = client.get("/thong-ke/ky/2024/tong-hop/bieu/02/")
    assert report.status_code == 200
    parts = report.context["report"].parts
    first = parts[0].rows[0]
    assert first.code == "02.01" and first.cells[0] == 47
    assert any("loại hình tổ chức" in part.title for part in parts)
    assert "02/TKTH-KHCN-ĐP" in report.context["report"].provenance

    workbook = client.get("/thong-ke/ky/2024/tong-hop/excel/")
    book = load_workbook(io.BytesIO(workbook.content))
    sheet = book["02"]
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
    assert rows["02.01"][2] == 47

    exported = client.get("/thong-ke/ky/2024/tong-hop/xuat.json")
    data = json.loads(b"".join(exported.streaming_content))
    figures = {(r["indicator"], r["option"], r["by"], r["group"]): r["value"] for r in data}
    assert figures[("02.01", "", "", "")] == 47
    assert figures[("1402", "", "", "")] == 47

    published = client.post("/thong-ke/ky/2024/tong-hop/cong-bo/")
    assert published.status_code == 302
    assert aggregation.aggregate_set(accepted).is_published
    assert client.get("/api/stats/aggregates/2024").status_code == 200


def test_public_figures_never_show_one_organizations_report(client, accepted, editor):
    """Disclosure control: with two organizations (A: 40, B: 7) no published figure may be
    summed over fewer than three; a group of one is hidden, and so is the other group of
    the same cut (else the total minus the other group gives it back). Editors see all."""
    aggregation.publish(editor, accepted)
    body = client.get("/api/stats/aggregates/2024").json()
    assert ("02.01", "") not in _total(body)
    by_type = client.get("/api/stats/aggregates/2024?by=org_type&indicator=02.01").json()
    assert by_type["rows"] == []
    current = aggregation.aggregate(accepted, "org_type", published=False)
    assert {row.group for row in current if row.indicator == "02.01"} == {
        "university",
        "institute",
    }


def test_secondary_suppression_hides_the_smallest_other_group(settings):
    from decimal import Decimal

    from sti.stats.aggregation import AggregateRow, suppress_small_groups

    settings.STI_STATS_MIN_PUBLIC_GROUP = 3

    def row(group, value, organizations, by="org_type"):
        return AggregateRow("02", "02.01", "", by, group, Decimal(value), organizations)

    rows = [
        row("", 100, 12, by=""),
        row("university", 60, 6),
        row("institute", 25, 4),
        row("enterprise", 10, 1),  # one organization: hidden
        row("other", 5, 1),  # a second small one: hidden, no secondary needed
        row("lab", 9, 2),
    ]
    shown = {(r.by, r.group) for r in suppress_small_groups(rows)}
    assert shown == {("", ""), ("org_type", "university"), ("org_type", "institute")}
    one_small = [row("", 100, 12, by=""), row("a", 60, 6), row("b", 30, 5), row("c", 10, 1)]
    shown = {r.group for r in suppress_small_groups(one_small)}
    assert shown == {"", "a"}  # c is one organization; b, the smallest other, goes with it
