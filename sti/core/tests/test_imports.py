"""The shared spreadsheet importer: reading, limits, template, preview errors, staging."""

import csv
import io
import time
import unicodedata
import zipfile
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sti.core import files, imports
from sti.core.choices import AuditAction
from sti.core.imports import Column, ImportResult, RowError, SpreadsheetImporter

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class PlaceImporter(SpreadsheetImporter):
    """A small importer: a name (required), a choice and S&T field codes."""

    kind = "place"
    slug = "dia-danh"
    title = "Nhập địa danh"
    max_rows = 10
    columns = [
        Column("name", "Tên địa danh", required=True, example="Cần Thơ"),
        Column("action", "Hành động", choices=AuditAction),
        Column("fields", "Lĩnh vực"),
        Column("founded", "Ngày thành lập"),
    ]

    def parse_row(self, number, row, result):
        errors = []
        values = {
            "name": row.get("name", ""),
            "action": self.convert_choice(self.column("action"), row.get("action", ""), errors),
            "fields": self.convert_fields(row.get("fields", ""), errors),
            "founded": imports.parse_date(row.get("founded", ""), errors, "founded", "Ngày"),
        }
        if not values["name"]:
            errors.append(("name", "Thiếu tên."))
        if self.add_row(result, number, values, errors):
            result.records.append(values)


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_vietnamese_headers_and_cells_are_read_nfc_in_any_form():
    header = [nfd("TÊN ĐỊA DANH *"), "hanh dong", "Lĩnh vực", "Ngày thành lập"]
    result = PlaceImporter().parse(
        xlsx([header, [nfd("Đồng Tháp Mười"), "Tạo mới", "401, 405", "31/03/1966"]])
    )
    assert result.ok and result.records == [
        {
            "name": "Đồng Tháp Mười",
            "action": AuditAction.CREATE,
            "fields": result.records[0]["fields"],
            "founded": "1966-03-31",
        }
    ]
    assert len(result.records[0]["fields"]) == 2


def test_row_errors_name_the_row_and_block_the_file():
    result = PlaceImporter().parse(
        xlsx(
            [
                ["Tên địa danh", "Hành động", "Lĩnh vực", "Ngày thành lập"],
                ["Cà Mau", "", "", ""],
                [None, None, None, None],  # an empty row is skipped, its number kept
                ["", "bay", "999", "30/02/2020"],
            ]
        )
    )
    assert not result.ok
    messages = [str(error) for error in result.errors]
    assert all(message.startswith("Dòng 4: ") for message in messages)
    assert any("“bay” không có trong danh mục" in m for m in messages)
    assert any("“999”" in m for m in messages)
    assert any("không phải ngày hợp lệ" in m for m in messages)
    assert result.error_rows == 1 and [row.number for row in result.rows] == [2, 4]
    assert str(RowError(7, "Thiếu tên.")) == "Dòng 7: Thiếu tên."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (xlsx([["Tên địa danh"]]), "không có dòng dữ liệu"),
        (xlsx([]), "Thiếu cột bắt buộc: Tên địa danh"),
        (xlsx([["Hành động"], ["Tạo mới"]]), "Thiếu cột bắt buộc"),
        (b"PK\x03\x04 not really a zip", "Không đọc được tệp Excel"),
        (b"", "Thiếu cột bắt buộc"),
        ("Tên;Đ\n".encode("utf-16"), "Thiếu cột bắt buộc"),
    ],
)
def test_unusable_files_give_a_file_error_not_an_exception(content, message):
    result = PlaceImporter().parse(content)
    assert not result.ok and message in " ".join(result.file_errors)


def test_huge_input_stops_at_the_row_limit():
    rows = [["Tên địa danh"]] + [[f"Xã Đông Thạnh {n}"] for n in range(PlaceImporter.max_rows + 1)]
    result = PlaceImporter().parse(xlsx(rows))
    assert result.file_errors == ["Tệp có hơn 10 dòng dữ liệu; hãy chia thành nhiều tệp."]
    text = "Tên địa danh\n" + "Đ\n" * 100_000
    assert "hơn 10 dòng" in PlaceImporter().parse(text.encode()).file_errors[0]


def test_csv_with_bom_semicolons_or_windows_1258_and_neutralised_cells():
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["name", "fields"])
    writer.writerow(["'=Đường 3/2", "401"])
    writer.writerow([nfd("Ô Môn"), ""])
    result = PlaceImporter().parse(("\ufeff" + out.getvalue()).encode("utf-8"))
    assert [record["name"] for record in result.records] == ["=Đường 3/2", "Ô Môn"]
    # Windows-1258 writes "ề" as "ê" followed by a combining grave accent.
    legacy = PlaceImporter().parse("name\nPhong Điê\u0300n\n".encode("cp1258"))
    assert legacy.records[0]["name"] == "Phong Điền"


def test_template_marks_required_columns_and_lists_choices():
    book = load_workbook(io.BytesIO(PlaceImporter().template_bytes()))
    assert book.sheetnames == ["Dữ liệu", "Danh mục", "Hướng dẫn"]
    assert [c.value for c in book["Dữ liệu"][1]] == [
        "Tên địa danh *",
        "Hành động",
        "Lĩnh vực",
        "Ngày thành lập",
    ]
    assert book["Danh mục"]["A1"].value == "Hành động"
    guide = [row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Nhập địa danh" in guide and "405" in guide
    # The template, filled in, reads back.
    sheet = book["Dữ liệu"]
    sheet.append(["Hà Tiên", "Tạo mới"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert PlaceImporter().parse(buffer.getvalue()).ok


def _zip(entries: dict, compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("entries", "options", "message"),
    [
        ({"../etc/passwd": b"x"}, {}, "không an toàn"),
        ({"/tuyet-doi.txt": b"x"}, {}, "không an toàn"),
        ({"C:/windows.txt": b"x"}, {}, "không an toàn"),
        ({"bom.xml": b"\0" * 1_000_000}, {}, "tỷ lệ nén bất thường"),
        ({"a.txt": b"a" * 100}, {"max_entry_bytes": 10}, "vượt giới hạn"),
        ({"a": b"1", "b": b"2"}, {"max_entries": 1}, "quá nhiều tệp"),
        (
            {"a": b"1" * 600, "b": b"2" * 600},
            {"max_total_bytes": 1000, "max_ratio": None},
            "giải nén quá lớn",
        ),
    ],
)
def test_archive_checks(entries, options, message):
    with pytest.raises(imports.ImportRejected, match=message):
        imports.check_archive(_zip(entries), **options)


def test_archive_refuses_symbolic_links():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("lien-ket")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(imports.ImportRejected, match="liên kết"):
        imports.check_archive(io.BytesIO(buffer.getvalue()))


def test_check_upload_wants_a_real_small_xlsx(monkeypatch):
    imports.check_upload(SimpleUploadedFile("dia-danh.xlsx", xlsx([["Tên địa danh"]])))
    for content in (b"Ten,Dia chi\n", _zip({"a.txt": b"x"}).getvalue()):
        with pytest.raises(ValidationError, match="không phải bảng tính Excel"):
            imports.check_upload(SimpleUploadedFile("x.xlsx", content))
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (imports.MAX_UNCOMPRESSED_BYTES + 1),
        }
    ).getvalue()
    with pytest.raises(ValidationError, match="giải nén quá lớn"):
        imports.check_upload(SimpleUploadedFile("bom.xlsx", bomb))
    # The reader checks again, whoever staged the file.
    assert "giải nén quá lớn" in PlaceImporter().parse(bomb).file_errors[0]
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        imports.check_upload(SimpleUploadedFile("x.xlsx", b"PK\x03\x04" + b"0" * 200))


def test_stash_is_shared_by_the_web_hosts_and_belongs_to_its_uploader(
    each_storage, editor, admin_user, settings, tmp_path
):
    """Staged on web A, read and discarded on web B (each its own data folder), on local
    files (a shared MEDIA_ROOT) and on S3."""
    web_a, web_b = tmp_path / "web-a", tmp_path / "web-b"
    settings.DATA_DIR = web_a
    token = imports.stash_upload(
        SimpleUploadedFile(nfd("Địa danh.xlsx"), b"sheet"),
        user=editor,
        kind="place",
        extra={"collection": 3},
        attachments={"zip": SimpleUploadedFile("tep.zip", b"zip")},
    )
    settings.DATA_DIR = web_b
    assert imports.load_stash(token, user=admin_user, kind="place") is None
    assert imports.load_stash(token, user=editor, kind="other") is None
    assert imports.load_stash("../../etc/passwd", user=editor, kind="place") is None
    path, meta = imports.load_stash(token, user=editor, kind="place")
    assert path.read_bytes() == b"sheet" and meta["filename"] == "Địa danh.xlsx"
    assert meta["collection"] == 3 and open(meta["paths"]["zip"], "rb").read() == b"zip"
    assert not path.is_relative_to(web_a)
    assert len(files.walk(prefix=imports.STASH_FOLDER)) == 3
    imports.discard_stash(token)
    assert imports.load_stash(token, user=editor, kind="place") is None
    assert files.walk(prefix=imports.STASH_FOLDER) == []
    assert not list((web_b / "imports").glob(f"{token}*"))
    settings.DATA_DIR = web_a  # gone for web A as well, whatever copy it kept
    assert imports.load_stash(token, user=editor, kind="place") is None


def test_old_stashes_and_unused_copies_are_purged(each_storage, editor, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    old = imports.stash_upload(SimpleUploadedFile("a.xlsx", b"old"), user=editor, kind="place")
    assert imports.load_stash(old, user=editor, kind="place")
    later = time.time() + imports.STASH_LIFETIME_SECONDS + 1
    with mock.patch.object(imports.time, "time", return_value=later):
        new = imports.stash_upload(SimpleUploadedFile("b.xlsx", b"new"), user=editor, kind="place")
    names = {listed.name for listed in files.walk(prefix=imports.STASH_FOLDER)}
    assert names == {f"{imports.STASH_FOLDER}{new}.xlsx", f"{imports.STASH_FOLDER}{new}.json"}
    assert not list((tmp_path / "imports").glob(f"{old}*"))
    assert imports.load_stash(old, user=editor, kind="place") is None


def test_audit_import_writes_one_row(editor):
    from sti.core.models import AuditEntry, FieldOfScience

    anchor = FieldOfScience.objects.current().first()
    PlaceImporter.audit_import(editor, anchor, 12, "địa danh.xlsx")
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert entry.changes == {"count": 12, "kind": "place", "file": "địa danh.xlsx"}


def test_empty_result_is_not_ok():
    assert not ImportResult().ok
