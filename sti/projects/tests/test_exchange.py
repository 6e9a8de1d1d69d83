"""Spreadsheet import (preview, row errors, all-or-nothing) and the data-set exports."""

import csv
import io
import unicodedata

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.projects.choices import TaskStatus
from sti.projects.models import ResultApplication, Task

HEADER = [
    "Mã số",
    "Tên nhiệm vụ",
    "Cấp",
    "Lĩnh vực",
    "Tổ chức chủ trì",
    "Chủ nhiệm",
    "Bắt đầu",
    "Kết thúc",
    "Tổng kinh phí",
    "Trạng thái",
]


def workbook(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("nhiem-vu.xlsx", buffer.getvalue())


GOOD = [
    [
        "CT.2022.31",
        "Đánh giá đa dạng sinh học rừng tràm Mỹ Phước",
        "tinh",
        "106, 105",
        "Trường Đại học Cần Thơ",
        "Nguyễn Văn Đông",
        "01/03/2022",
        "31/12/2023",
        "450,5",
        "Đang thực hiện",
    ],
    # NFD text and the folded organization abbreviation must be accepted.
    [
        unicodedata.normalize("NFD", "CT.2022.32"),
        unicodedata.normalize("NFD", "Ứng dụng đèn LED bẫy rầy nâu"),
        "Cấp cơ sở",
        "401",
        "dhct",
        "",
        "2022-01-01",
        "2022-12-31",
        "",
        "",
    ],
]


def test_preview_then_atomic_import(client_for, editor, org_a):
    c = client_for(editor)
    preview = c.post("/nhiem-vu/nhap/", {"file": workbook(GOOD)})
    page = preview.content.decode()
    assert "2 dòng, 0 dòng lỗi" in page and Task.objects.count() == 0
    token = preview.context["token"]
    done = c.post("/nhiem-vu/nhap/", {"confirm": "1", "token": token})
    assert done.status_code == 302
    first = Task.objects.get(code="CT.2022.31")
    assert first.host == org_a and str(first.total_budget) == "450.50"
    assert sorted(f.code for f in first.fields.all()) == ["105", "106"]
    assert first.principal_name == "Nguyễn Văn Đông" and first.status == TaskStatus.IN_PROGRESS
    second = Task.objects.get(code="CT.2022.32")
    assert second.title == unicodedata.normalize("NFC", "Ứng dụng đèn LED bẫy rầy nâu")
    assert second.level.code == "co_so"


def test_row_errors_block_the_whole_file(client_for, editor, org_a):
    bad = GOOD + [
        [
            "CT.2022.31",
            "",
            "cap_la",
            "999",
            "Tổ chức không tồn tại",
            "",
            "31/02/2022",
            "",
            "nhiều",
            "Đang bay",
        ],
    ]
    c = client_for(editor)
    preview = c.post("/nhiem-vu/nhap/", {"file": workbook(bad)})
    rows = preview.context["rows"]
    errors = " ".join(rows[2].errors)
    for expected in (
        "lặp trong tệp",
        "Thiếu",
        "Cấp “cap_la”",
        "999",
        "Không tìm thấy tổ chức",
        "dd/mm/yyyy",
        "không phải là số",
        "Trạng thái “Đang bay”",
    ):
        assert expected in errors, expected
    assert "Ghi tất cả" not in preview.content.decode()
    c.post("/nhiem-vu/nhap/", {"confirm": "1", "token": preview.context["token"]})
    assert Task.objects.count() == 0


def test_import_is_for_editors_only(client_for, reporter_a):
    assert (
        client_for(reporter_a).post("/nhiem-vu/nhap/", {"file": workbook(GOOD)}).status_code == 403
    )


def test_exports_json_csv_xlsx_and_forms(client, client_for, editor, make_task):
    done = make_task(
        status=TaskStatus.REGISTERED,
        title="Đã hoàn thành: đê bao Thới Lai",
        code="CT.2020.01",
        contract_number="HĐ-01",
    )
    make_task(status=TaskStatus.PROPOSED, title="Dự thảo")
    ResultApplication.objects.create(
        task=done, year=2024, place="Huyện Thới Lai", form="san_xuat", scale="3 xã"
    )
    rows = list(
        csv.reader(io.StringIO(client.get("/nhiem-vu/xuat.csv").content.decode("utf-8-sig")))
    )
    assert rows[0][0] == "Tên nhiệm vụ" and [r[0] for r in rows[1:]] == [
        "Đã hoàn thành: đê bao Thới Lai"
    ]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/nhiem-vu/xuat.xlsx").content))
    assert book.active.cell(2, 1).value == "Đã hoàn thành: đê bao Thới Lai"
    assert client.get("/nhiem-vu/xuat/mau-1.json").status_code in (302, 403)
    form12 = client_for(editor).get("/nhiem-vu/xuat/mau-12.json?year=2024").json()
    assert form12 == [
        {
            "code": "CT.2020.01",
            "title": "Đã hoàn thành: đê bao Thới Lai",
            "host": "Trường Đại học Cần Thơ",
            "year": 2024,
            "place": "Huyện Thới Lai",
            "form": "Ứng dụng vào sản xuất, kinh doanh",
            "scale": "3 xã",
            "effect": "",
        }
    ]
    ongoing = make_task(status=TaskStatus.IN_PROGRESS, title="Đang làm", contract_number="HĐ-02")
    form1 = client_for(editor).get("/nhiem-vu/xuat/mau-1.json").json()
    assert [row["title"] for row in form1] == [ongoing.title] and form1[0][
        "contract_number"
    ] == "HĐ-02"


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_every_export_format_answers(client, fmt, make_task):
    make_task()
    response = client.get(f"/nhiem-vu/xuat.{fmt}")
    assert response.status_code == 200 and response.content
