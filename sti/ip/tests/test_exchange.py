"""Spreadsheet import (preview = confirmation, all or nothing, "Dòng N: …" errors), the
export of what the list shows, and the read API."""

import io
import json
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sti.core.models import AuditEntry
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.imports import FilingImporter
from sti.ip.models import Filing

HEADER = [
    "Loại đối tượng",
    "Tên đối tượng",
    "Số đơn",
    "Ngày nộp đơn",
    "Chủ đơn",
    "Trạng thái",
    "Số văn bằng",
    "Ngày cấp văn bằng",
    "Mã nhiệm vụ",
]


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("so-dang-ky.xlsx", buffer.getvalue())


GOOD = [
    [
        "Nhãn hiệu",
        unicodedata.normalize("NFD", "Bánh pía Tân Lộc"),
        "4-2017-00123",
        "05/04/2017",
        "ĐHCT",
        "Đã cấp văn bằng",
        "4-0298765",
        "20/06/2018",
        "",
    ],
    [
        "kieu dang cong nghiep",
        "Chai đựng nước mắm Phú Quý",
        "3-2018-00045",
        "12/01/2018",
        "Nguyễn Văn Tư",
        "",
        "",
        "",
        "",
    ],
]


def _upload(client, rows):
    response = client.post("/so-huu-tri-tue/nhap/", {"file": _xlsx(rows)})
    assert response.status_code == 302, response.context["form"].errors
    return response["Location"]


def test_import_previews_then_writes_every_row(client_for, editor, org_a):
    client = client_for(editor)
    preview_url = _upload(client, GOOD)
    page = client.get(preview_url)
    assert page.context["result"].ok and not Filing.objects.exists()  # the preview writes nothing
    assert "Bánh pía Tân Lộc" in page.content.decode()
    assert client.post(preview_url, {"action": "confirm"}).status_code == 302
    pia = Filing.objects.get(application_number="4-2017-00123")
    assert pia.title == "Bánh pía Tân Lộc"  # NFC
    assert (pia.applicant_organization, pia.status, pia.grant_number) == (
        org_a,
        FilingStatus.GRANTED,
        "4-0298765",
    )
    bottle = Filing.objects.get(kind=IPKind.DESIGN)
    assert (bottle.applicant_organization, bottle.applicant_name, bottle.status) == (
        None,
        "Nguyễn Văn Tư",
        FilingStatus.FILED,
    )
    assert AuditEntry.objects.filter(object_type="ip.filing", action="import").count() == 1


def test_one_bad_row_writes_nothing_and_names_its_row(client_for, editor, make_filing):
    make_filing(application_number="4-2017-00999")
    rows = GOOD + [
        ["Nhãn hiệu", "Trà Thới Lai", "4-2017-00999", "01/02/2017", "ĐHCT", "", "", "", ""],
        ["Bằng khen", "", "", "31/02/2017", "", "Đã cấp văn bằng", "", "", "KHÔNG-CÓ"],
    ]
    client = client_for(editor)
    preview_url = _upload(client, rows)
    result = client.get(preview_url).context["result"]
    messages = [str(error) for error in result.errors]
    assert any(m.startswith("Dòng 4: ") and "4-2017-00999 đã có" in m for m in messages)
    assert any(m.startswith("Dòng 5: ") and "Bằng khen" in m for m in messages)
    assert any(m.startswith("Dòng 5: ") and "31/02/2017" in m for m in messages)
    assert any(m.startswith("Dòng 5: ") and "KHÔNG-CÓ" in m for m in messages)
    assert any(m.startswith("Dòng 5: ") and "số văn bằng" in m.lower() for m in messages)
    before = Filing.objects.count()
    response = client.post(preview_url, {"action": "confirm"})
    assert response.status_code == 200 and Filing.objects.count() == before


def test_import_is_for_editors_and_the_template_lists_the_kinds(client_for, reporter_a, editor):
    assert client_for(reporter_a).get("/so-huu-tri-tue/nhap/").status_code == 403
    response = client_for(editor).get("/so-huu-tri-tue/nhap/mau.xlsx")
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert [cell.value for cell in workbook["Dữ liệu"][1]][:2] == [
        "Loại đối tượng *",
        "Tên đối tượng *",
    ]
    assert "Giải pháp hữu ích" in [cell.value for cell in workbook["Danh mục"]["A"]]


def test_duplicate_numbers_within_a_file(db, org_a):
    importer = FilingImporter()
    result = importer.parse(_xlsx([GOOD[0], GOOD[0]]).read())
    assert [str(e) for e in result.errors] == ["Dòng 3: Số đơn 4-2017-00123 trùng với dòng 2."]


def test_export_has_only_the_visible_filtered_rows(
    client, client_for, member_a, published, unpublished
):
    body = b"".join(client.get("/so-huu-tri-tue/xuat.csv").streaming_content).decode("utf-8-sig")
    assert published.title in body and unpublished.title not in body
    body = b"".join(
        client_for(member_a)
        .get("/so-huu-tri-tue/xuat.csv", {"kind": IPKind.DESIGN})
        .streaming_content
    ).decode("utf-8-sig")
    assert unpublished.title in body and published.title not in body
    assert client.get("/so-huu-tri-tue/xuat.pdf").status_code == 404


def test_api_lists_with_the_page_filters_and_hides_unpublished(
    client, client_for, member_a, published, unpublished
):
    data = client.get("/api/ip/filings", {"q": "nuoc mam"}).json()
    assert [item["title"] for item in data["items"]] == [published.title]
    assert data["items"][0]["kind_label"] == "Nhãn hiệu"
    assert client.get(f"/api/ip/filings/{unpublished.pk}").status_code == 404
    assert client_for(member_a).get(f"/api/ip/filings/{unpublished.pk}").status_code == 200
    assert client.get("/api/ip/filings", {"kind": "khac"}).status_code in (400, 422)
    totals = {row["kind"]: row for row in client.get("/api/ip/totals").json()}
    assert (
        totals[IPKind.TRADEMARK]["applications"] == 1 and totals[IPKind.DESIGN]["applications"] == 0
    )
    assert json.loads(client_for(member_a).get("/api/ip/totals").content)[2]["applications"] == 1
