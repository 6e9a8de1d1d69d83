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


def stage(c, uploaded):
    """Upload a file; the preview page (the shared import pages stage it under a token)."""
    staged = c.post("/nhiem-vu/nhap/", {"file": uploaded})
    assert staged.status_code == 302, staged.content.decode()[:500]
    return c.get(staged["Location"])


def upload(c, rows):
    return stage(c, workbook(rows))


def confirm(c, preview):
    return c.post(f"/nhiem-vu/nhap/{preview.context['token']}/", {"action": "confirm"})


def test_preview_then_atomic_import(client_for, editor, org_a):
    c = client_for(editor)
    preview = upload(c, GOOD)
    page = preview.content.decode()
    assert "2 bản ghi mới" in page and "CT.2022.31" in page and Task.objects.count() == 0
    done = confirm(c, preview)
    assert done.status_code == 302 and done["Location"] == "/nhiem-vu/"
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
    preview = upload(c, bad)
    errors = " ".join(e.message for e in preview.context["result"].errors if e.row == 4)
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
    assert "Xác nhận nhập" not in preview.content.decode()
    assert confirm(c, preview).status_code == 200
    assert Task.objects.count() == 0


def test_import_is_for_editors_only(client_for, editor, reporter_a, member_a, org_a):
    for refused in (reporter_a, member_a):
        assert (
            client_for(refused).post("/nhiem-vu/nhap/", {"file": workbook(GOOD)}).status_code == 403
        )
    preview = upload(client_for(editor), GOOD)
    assert confirm(client_for(reporter_a), preview).status_code == 403
    assert Task.objects.count() == 0


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


def test_import_refuses_oversized_and_non_xlsx_files(client_for, editor, org_a, monkeypatch):
    from sti.core import imports

    c = client_for(editor)
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1000)
    page = c.post("/nhiem-vu/nhap/", {"file": workbook(GOOD)})
    assert page.status_code == 200 and "Tệp quá lớn" in page.content.decode()
    monkeypatch.undo()
    fake = SimpleUploadedFile("nhiem-vu.xlsx", b"Ten nhiem vu;To chuc chu tri\n")
    page = c.post("/nhiem-vu/nhap/", {"file": fake})
    assert page.status_code == 200 and "không phải bảng tính Excel" in page.content.decode()
    assert Task.objects.count() == 0


def test_import_refuses_a_zip_bomb(client_for, editor, org_a):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (90 * 1024 * 1024))
    page = client_for(editor).post(
        "/nhiem-vu/nhap/", {"file": SimpleUploadedFile("bom.xlsx", buffer.getvalue())}
    )
    assert page.status_code == 200 and "giải nén quá lớn" in page.content.decode()


def test_import_writes_through_the_services_with_audit(client_for, editor, org_a, monkeypatch):
    from sti.core.models import AuditEntry
    from sti.projects import services

    calls = []
    real = services.create_task
    monkeypatch.setattr(
        services, "create_task", lambda *a, **k: calls.append(a[1]["title"]) or real(*a, **k)
    )
    c = client_for(editor)
    preview = upload(c, GOOD)
    confirm(c, preview)
    assert len(calls) == 2 and Task.objects.count() == 2
    actions = list(
        AuditEntry.objects.filter(object_type="projects.task").values_list("action", flat=True)
    )
    assert actions.count("create") == 2 and actions.count("import") == 1
    # The staged file is gone and cannot be confirmed twice.
    assert confirm(c, preview)["Location"] == "/nhiem-vu/nhap/"
    assert Task.objects.count() == 2


def test_import_preview_applies_the_service_validation(client_for, editor, org_a):
    too_long = [["", "Đ" * 600, "", "", "dhct", "", "", "", "", ""]]
    preview = upload(client_for(editor), too_long)
    assert preview.context["result"].error_rows == 1
    assert "Tên nhiệm vụ" in " ".join(e.message for e in preview.context["result"].errors)


def test_import_stash_belongs_to_its_uploader(client_for, editor, admin_user, org_a):
    preview = upload(client_for(editor), GOOD)
    confirm(client_for(admin_user), preview)
    assert Task.objects.count() == 0


def test_import_template_has_the_vietnamese_header(client_for, editor):
    response = client_for(editor).get("/nhiem-vu/nhap/mau.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in book["Dữ liệu"][1]]
    assert header[:2] == ["Mã số", "Tên nhiệm vụ *"] and "Tổ chức chủ trì *" in header
    assert "Hướng dẫn" in book.sheetnames


FORMULAS = ['=HYPERLINK("http://evil.example","Bấm")', "+1+1", "-2+3 Cần Thơ", "@SUM(A1)"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_neutralise_formulas(client, make_task, fmt):
    for title in FORMULAS:
        make_task(status=TaskStatus.REGISTERED, title=title, objectives="=1+2")
    response = client.get(f"/nhiem-vu/xuat.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        titles = {row[0] for row in rows[1:]}
        assert titles == {"'" + title for title in FORMULAS}
        assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
        assert {cell.value for cell in cells} >= set(FORMULAS)
        assert all(cell.data_type != "f" for cell in cells)
    else:
        assert {row["title"] for row in response.json()} == set(FORMULAS)


def test_public_export_follows_the_access_and_disclosure_rules(
    client_for, make_task, member_a, reporter_a
):
    """The export is what an anonymous visitor may read, whoever asks: no confidential or
    draft task, and ongoing tasks without their contract, budget or abstract."""
    make_task(status=TaskStatus.IN_PROGRESS, title="Mật: giống lúa", is_confidential=True)
    make_task(status=TaskStatus.PROPOSED, title="Dự thảo chưa duyệt")
    make_task(
        status=TaskStatus.IN_PROGRESS,
        title="Đang làm: đê bao",
        contract_number="HĐ-KÍN",
        abstract="Tóm tắt chưa công bố",
    )
    for viewer in (None, member_a, reporter_a):
        rows = client_for(viewer).get("/nhiem-vu/xuat.json").json()
        assert [row["title"] for row in rows] == ["Đang làm: đê bao"]
        assert "HĐ-KÍN" not in str(rows) and "Tóm tắt chưa công bố" not in str(rows)


def _with_secrecy(value):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên nhiệm vụ", "Tổ chức chủ trì", "Trạng thái", "Mật"])
    sheet.append(["Nghiên cứu giống lúa chịu mặn ST", "Trường Đại học Cần Thơ", "", value])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("nhiem-vu.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    ("value", "confidential"),
    [
        ("Tuyệt mật", True),
        ("Tối mật", True),
        ("Mật.", True),
        ("x", True),
        ("Có", True),
        ("Không", False),
        ("", False),
    ],
)
def test_the_secrecy_column_never_fails_open(client_for, editor, org_a, value, confidential):
    c = client_for(editor)
    preview = stage(c, _with_secrecy(value))
    assert not preview.context["result"].errors
    confirm(c, preview)
    assert Task.objects.get().is_confidential is confidential


@pytest.mark.parametrize("value", ["Mật (A)", "yes please", "✓", "bí mật?"])
def test_an_unknown_secrecy_mark_is_a_row_error(client_for, editor, org_a, value):
    preview = stage(client_for(editor), _with_secrecy(value))
    errors = " ".join(e.message for e in preview.context["result"].errors)
    assert "Cột “Mật”" in errors


def _sheet(rows, header=("Tên nhiệm vụ", "Tổ chức chủ trì", "Bắt đầu", "Tổng kinh phí")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("nhiem-vu.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    ("start", "budget", "expected"),
    [("01/01/2024", "-5", "không được âm"), ("01/01/0001", "100", "không hợp lệ")],
)
def test_preview_refuses_what_confirm_would_refuse(
    client_for, editor, org_a, start, budget, expected
):
    row = ["Nuôi cá thát lát cườm", "Trường Đại học Cần Thơ", start, budget]
    preview = stage(client_for(editor), _sheet([row]))
    assert expected in " ".join(e.message for e in preview.context["result"].errors)


def test_a_code_written_meanwhile_is_a_message_not_a_500(client_for, editor, org_a, monkeypatch):
    from django.db import IntegrityError

    from sti.projects import services

    c = client_for(editor)
    row = ["Nuôi cá thát lát cườm", "Trường Đại học Cần Thơ", "01/01/2024", "100"]
    preview = stage(c, _sheet([row]))

    def clash(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: projects_task.code")

    monkeypatch.setattr(services, "create_task", clash)
    done = confirm(c, preview)
    assert done.status_code == 200 and not Task.objects.exists()
    assert "vừa được ghi bởi thao tác khác" in done.content.decode()
