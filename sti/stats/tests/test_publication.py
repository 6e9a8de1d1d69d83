"""The public statistics page, its downloads and the yearbook: published aggregates only."""

import csv
import io
import json
import random

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sti.stats import aggregation, publication, sample
from sti.stats.models import AggregateValue, Period

pytestmark = pytest.mark.django_db

YEARS = [2016, 2017, 2018, 2019]
SECRET_STAFF = 987_654  # the unpublished period's R&D staff: must never be shown


@pytest.fixture
def published(regime, editor, org_a, org_b, settings):
    """Forms 01–04 of two organizations accepted for 2016–2019, published; 2020 accepted
    but not published (with a figure that must stay hidden). Two organizations only: these
    tests are about publication, disclosure control has its own (test_aggregation_access)."""
    from sti.stats import services

    settings.STI_STATS_MIN_PUBLIC_GROUP = 1

    rng = random.Random(7)
    for year in [*YEARS, 2020]:
        period = services.open_period(editor, year, regime)
        filings = []
        for organization, staff in ((org_a, 40 + 5 * (year - 2016)), (org_b, 20 + year - 2016)):
            if year == 2020 and organization == org_a:
                staff = SECRET_STAFF
            forms = sample.organization_values(organization, staff, staff // 4 + 1, rng)
            filings.extend((organization, n, v) for n, v in forms.items())
        sample.write_accepted(period, filings, editor)
        aggregation.rebuild(period)
        if year != 2020:
            aggregation.publish(editor, period)
    return {p.year: p for p in Period.objects.all()}


def _published_total(period, code):
    return AggregateValue.objects.get(
        period=period, published=True, kind="cell", indicator=code, option="", by=""
    ).value


def test_home_shows_series_forecast_and_method(client, published):
    response = client.get(reverse("stats:public_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ETS(A,N,N)" in page or "ETS(A,A,N)" in page
    assert "RMSE" in page and "AIC" in page
    data = json.loads(
        page.split('id="series-data" type="application/json">')[1].split("</script>")[0]
    )
    tasks = data["NV"]
    assert tasks["labels"][:4] == YEARS and 2020 in tasks["labels"]  # 2020: a forecast year
    expected = [
        float(_published_total(published[y], "04.01") + _published_total(published[y], "04.11"))
        for y in YEARS
    ]
    assert tasks["history"][:4] == expected
    assert tasks["history"][4] is None  # 2020 is not published: no observed point
    assert str(SECRET_STAFF) not in page and "987.654" not in page


def test_unpublished_year_is_not_public(client, published):
    assert client.get(reverse("stats:public_year", args=[2020])).status_code == 404
    for fmt in ("csv", "xlsx", "json", "sdmx"):
        url = reverse("stats:public_download", args=[2020, fmt])
        assert client.get(url).status_code == 404
    assert publication.download_rows(published[2020]) == []


def test_year_page_shows_national_indicators(client, published):
    response = client.get(reverse("stats:public_year", args=[2019]))
    assert response.status_code == 200
    assert "1401" in response.content.decode()


def test_downloads_hold_exactly_the_published_rows(client, published):
    period = published[2019]
    expected = AggregateValue.objects.filter(period=period, published=True).count()
    assert expected > 50

    body = client.get(reverse("stats:public_download", args=[2019, "csv"])).content.decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Năm", "Loại số liệu", "Biểu", "Mã chỉ tiêu"]
    assert len(rows) - 1 == expected

    response = client.get(reverse("stats:public_download", args=[2019, "json"]))
    records = json.loads(response.content)
    assert len(records) == expected
    staff = [r for r in records if r["indicator"] == "02.06" and not r["option"] and not r["by"]]
    assert staff[0]["value"] == float(_published_total(period, "02.06"))

    response = client.get(reverse("stats:public_download", args=[2019, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == expected

    response = client.get(reverse("stats:public_download", args=[2019, "sdmx"]))
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        "FREQ",
        "TIME_PERIOD",
        "INDICATOR",
        "BREAKDOWN",
        "GROUPING",
        "GROUP",
        "OBS_VALUE",
    ]
    assert len(lines) - 1 == expected
    total = next(
        line for line in lines[1:] if line[5] == "02.06" and line[6:9] == ["_T", "_T", "_T"]
    )
    assert total[:5] == ["dataflow", publication.SDMX_DATAFLOW, "I", "A", "2019"]
    assert float(total[9]) == float(_published_total(period, "02.06"))


def test_downloads_refuse_an_unknown_format(client, published):
    assert client.get(reverse("stats:public_download", args=[2019, "exe"])).status_code == 404


def test_a_rebuild_after_publication_changes_nothing_public(client, published, editor, org_a):
    """The current build moves on; the public copy is what was published."""
    period = published[2019]
    before = client.get(reverse("stats:public_download", args=[2019, "json"])).content
    AggregateValue.objects.filter(period=period, published=False).update(value=1)
    after = client.get(reverse("stats:public_download", args=[2019, "json"])).content
    assert before == after


def test_yearbook_is_built_from_published_aggregates(
    client, published, editor, django_capture_on_commit_callbacks
):
    import pypdfium2
    from docx import Document

    from sti.stats.models import YearbookBuild

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stats:yearbook_request"), {"year": "2019"})
    assert response.status_code == 302
    build = YearbookBuild.objects.get(year=2019)
    build.refresh_from_db()
    assert build.state == "done", build.job.error
    assert build.tables > 5 and build.figures >= 2
    document = Document(build.docx.path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "SỐ LIỆU THỐNG KÊ KHOA HỌC VÀ CÔNG NGHỆ" in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert any("1401" in c for c in cells)
    pdf = pypdfium2.PdfDocument(build.pdf.path)
    assert len(pdf) >= 4
    pdf_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Dự báo" in pdf_text or "dự báo" in pdf_text
    assert "987.654" not in pdf_text and "987654" not in pdf_text
    # the finished yearbook is a public document
    client.logout()
    response = client.get(reverse("stats:yearbook_download", args=[build.pk, "pdf"]))
    assert response.status_code == 200


def test_yearbook_of_an_unpublished_year_is_refused(client, published, editor, reporter_a):
    from sti.stats.models import YearbookBuild

    client.force_login(editor)
    response = client.post(reverse("stats:yearbook_request"), {"year": "2020"}, follow=True)
    assert "chưa được công bố" in response.content.decode()
    response = client.post(reverse("stats:yearbook_request"), {"year": "abc"}, follow=True)
    assert response.status_code == 200
    assert not YearbookBuild.objects.exists()
    client.force_login(reporter_a)
    response = client.post(reverse("stats:yearbook_request"), {"year": "2019"})
    assert response.status_code in (302, 403)
    assert not YearbookBuild.objects.exists()
