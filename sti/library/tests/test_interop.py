"""Batch import (CSV/Excel + ZIP) with preview and atomicity, MARC21 round trips (ISO 2709
and MARCXML), BibTeX and CSV exports, and the sample data loader."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pymarc
import pytest

from sti.library import imports, marc, services
from sti.library.exports import to_bibtex
from sti.library.models import Collection, Document, DocumentFile
from sti.library.tests.conftest import docx_bytes, text_pdf, upload

pytestmark = pytest.mark.django_db
HEADER = "title,creators,abstract,keywords,fields,year,source_type,language,access,embargo_until,collections,files\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _post_import(client, sheet: str, zip_bytes: bytes | None):
    data = {"metadata": upload("du-lieu.csv", sheet.encode("utf-8"))}
    if zip_bytes is not None:
        data["files"] = upload("tep.zip", zip_bytes)
    return client.post("/thu-vien/bien-tap/nhap/", data)


def _blobs(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file() and "tmp" not in p.parts]


def test_csv_and_zip_import_with_preview(editor, client_for, media_root, run_on_commit):
    Collection.objects.create(name="Kết quả nghiên cứu", slug="ket-qua")
    nfd = unicodedata.normalize("NFD", "Đánh giá độ mặn Cù Lao Dung")
    sheet = HEADER + (
        f'"{nfd}","Trần Văn Hậu; Lê Thị Mỹ","Tóm tắt","độ mặn; Sóc Trăng","401",2023,report,vie,public,,ket-qua,bao-cao-1.pdf\n'
        '"Nuôi tôm tuần hoàn","Võ Minh Khang","","","405",2022,article,vie,registered,,,thu-muc/bao-cao-2.docx\n'
    )
    files = _zip(
        {
            # More than 40 characters: a text layer (a shorter one is OCR'd as a scan).
            "bao-cao-1.pdf": text_pdf(
                "Độ mặn Cù Lao Dung đo trong mùa khô năm 2023 tại các cống ven sông Hậu"
            ),
            "thu-muc/bao-cao-2.docx": docx_bytes("Tôm thẻ"),
        }
    )
    client = client_for(editor)
    preview = _post_import(client, sheet, files).content.decode()
    assert "Nhập 2 tài liệu" in preview and not Document.objects.exists()
    token = preview.split('name="token" value="')[1].split('"')[0]
    with run_on_commit():
        response = client.post("/thu-vien/bien-tap/nhap/", {"confirm": "1", "token": token})
    assert response.status_code == 302
    first = Document.objects.get(title="Đánh giá độ mặn Cù Lao Dung")  # NFD input stored NFC
    assert first.creator_names("creator") == ["Trần Văn Hậu", "Lê Thị Mỹ"]
    assert [f.code for f in first.fields.all()] == [
        "401"
    ] and first.collections.get().slug == "ket-qua"
    assert first.files.get().text.startswith("Độ mặn")
    assert Document.objects.get(title="Nuôi tôm tuần hoàn").access == "registered"
    assert not list((Path(media_root) / "tmp").glob("import-*"))


@pytest.mark.parametrize(
    ("sheet", "entries", "message"),
    [
        (
            HEADER
            + '"Tốt",A,,,401,2023,report,vie,public,,,a.pdf\n"",B,,,,2023,report,vie,public,,,\n',
            {"a.pdf": text_pdf("x")},
            "Dòng 3: Thiếu nhan đề",
        ),
        (
            HEADER + '"Sai năm",A,,,,hai nghìn,report,vie,public,,,\n',
            {},
            "Năm “hai nghìn” không hợp lệ",
        ),
        (HEADER + '"Mã sai",A,,,99999,2020,report,vie,public,,,\n', {}, "Mã lĩnh vực “99999”"),
        (HEADER + '"Hạn chế",A,,,,2020,report,vie,embargoed,,,\n', {}, "cần ngày hết hạn chế"),
        (
            HEADER + '"Thiếu tệp",A,,,,2020,report,vie,public,,,khong-co.pdf\n',
            {"a.pdf": text_pdf("x")},
            "Không thấy tệp “khong-co.pdf”",
        ),
        (
            HEADER + '"Tệp độc",A,,,,2020,report,vie,public,,,virus.pdf\n',
            {"virus.pdf": b"MZ" + b"\0" * 64},
            "thực thi",
        ),
        (
            HEADER + '"Thoát thư mục",A,,,,2020,report,vie,public,,,x\n',
            {"../x": b"%PDF-1.4"},
            "đường dẫn không an toàn",
        ),
        (
            HEADER + '"Tuyệt đối",A,,,,2020,report,vie,public,,,\n',
            {"/etc/passwd": b"root"},
            "đường dẫn không an toàn",
        ),
    ],
)
def test_bad_rows_or_unsafe_zip_import_nothing(
    editor, client_for, media_root, sheet, entries, message
):
    page = _post_import(
        client_for(editor), sheet, _zip(entries) if entries else None
    ).content.decode()
    assert message in page
    assert "Nhập 1 tài liệu" not in page and "Nhập 2 tài liệu" not in page
    assert not Document.objects.exists() and not DocumentFile.objects.exists()
    assert _blobs(media_root) == []


def test_run_import_rolls_back_everything_on_a_late_failure(editor, media_root, monkeypatch):
    sheet = (
        HEADER
        + '"Một",A,,,,2020,report,vie,public,,,a.pdf\n"Hai",B,,,,2021,report,vie,public,,,b.pdf\n'
    ).encode()
    zip_path = Path(media_root) / "lo.zip"
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    zip_path.write_bytes(_zip({"a.pdf": text_pdf("một"), "b.pdf": text_pdf("hai")}))
    plan = imports.plan_sheet(sheet, "lo.csv", zip_path)
    assert plan.ok
    real_attach = services.attach_spooled
    calls = []

    def failing_attach(actor, document, spooled):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("đĩa đầy")
        return real_attach(actor, document, spooled)

    monkeypatch.setattr(services, "attach_spooled", failing_attach)
    with pytest.raises(RuntimeError):
        imports.run_import(editor, plan, zip_path)
    assert not Document.objects.exists() and not DocumentFile.objects.exists()
    assert [p for p in _blobs(media_root) if p != zip_path] == []


def _catalogued(make_document, editor):
    from sti.core.models import FieldOfScience

    Collection.objects.get_or_create(slug="tap-chi", defaults={"name": "Tạp chí KH&CN Cần Thơ"})
    fields = list(FieldOfScience.objects.current().filter(code__in=["401", "211"]))
    return [
        make_document(
            "Đường cong sinh trưởng lúa chịu mặn: thí nghiệm nhà lưới",
            creators=("Trần Văn Hậu", "Đỗ Thị Đào"),
            source_type="article",
            abstract="Tóm tắt có dấu: đường, dương, đương.",
            keywords="lúa; độ mặn",
            publisher="Sở KH&CN TP. Cần Thơ",
            isbn="",
            issn="1859-4026",
            doi="10.1234/abc.1",
            year=2023,
            source="Tạp chí KH&CN Cần Thơ, số 3",
            fields=fields,
            call_number="12/KQNC",
            extent="12 tr.",
            coverage="Cần Thơ",
            rights="CC BY 4.0",
            language="vie",
        ),
        make_document(
            "Sổ tay bảo quản trái cây {100%}",
            creators=("Châu Kim Yến",),
            source_type="book",
            isbn="978-604-0-00000-1",
            year=2019,
            publisher="NXB Nông nghiệp",
            language="vie",
        ),
    ]


@pytest.mark.parametrize("kind", ["iso2709", "marcxml"])
def test_marc_round_trip(editor, make_document, kind, client_for):
    originals = _catalogued(make_document, editor)
    exported = (
        client_for(editor)
        .get(
            f"/thu-vien/xuat/{'marc' if kind == 'iso2709' else 'marcxml'}/",
            {"id": [d.pk for d in originals]},
        )
        .content
    )
    records = marc.read_records(exported)
    assert len(records) == 2
    assert records[0]["245"]["a"].startswith("Đường cong")
    rows = {row.data["title"]: row for row in imports.plan_marc(exported).rows}
    for document in originals:
        row = rows[document.title]
        assert not row.errors
        for name in (
            "abstract",
            "publisher",
            "issn",
            "isbn",
            "doi",
            "source",
            "source_type",
            "call_number",
            "extent",
            "coverage",
            "rights",
            "language",
            "access",
        ):
            assert row.data[name] == (getattr(document, name) or ""), name
        assert row.data["year"] == document.year
        assert row.creators == document.creator_names("creator")
        assert sorted(row.field_ids) == sorted(f.pk for f in document.fields.all())
    # Importing the export through the page creates the same records again.
    Document.objects.all().delete()
    client = client_for(editor)
    preview = client.post(
        "/thu-vien/bien-tap/nhap-marc/", {"file": upload("xuat.mrc", exported)}
    ).content.decode()
    token = preview.split('name="token" value="')[1].split('"')[0]
    client.post("/thu-vien/bien-tap/nhap-marc/", {"confirm": "1", "token": token})
    assert sorted(Document.objects.values_list("title", flat=True)) == sorted(
        d.title for d in originals
    )


def test_foreign_marc_record_is_mapped(editor):
    record = pymarc.Record(force_utf8=True)
    record.add_field(
        pymarc.Field(
            tag="100",
            indicators=pymarc.Indicators("1", " "),
            subfields=[pymarc.Subfield("a", "Nguyễn, Văn Bình")],
        ),
        pymarc.Field(
            tag="245",
            indicators=pymarc.Indicators("1", "0"),
            subfields=[
                pymarc.Subfield("a", "Kinh tế hộ nông dân /"),
                pymarc.Subfield("b", "nghiên cứu ở Cần Thơ"),
            ],
        ),
        pymarc.Field(
            tag="260",
            indicators=pymarc.Indicators(" ", " "),
            subfields=[pymarc.Subfield("b", "NXB Nông nghiệp,"), pymarc.Subfield("c", "c2015.")],
        ),
        pymarc.Field(
            tag="502",
            indicators=pymarc.Indicators(" ", " "),
            subfields=[pymarc.Subfield("a", "Luận án tiến sĩ")],
        ),
        pymarc.Field(
            tag="650",
            indicators=pymarc.Indicators(" ", "4"),
            subfields=[pymarc.Subfield("a", "Kinh tế nông nghiệp")],
        ),
    )
    row = imports.plan_marc(record.as_marc()).rows[0]
    assert row.data["title"] == "Kinh tế hộ nông dân: nghiên cứu ở Cần Thơ"
    assert row.data["year"] == 2015 and row.data["source_type"] == "thesis"
    assert row.data["publisher"] == "NXB Nông nghiệp" and row.creators == ["Nguyễn, Văn Bình"]
    assert "Kinh tế nông nghiệp" in row.data["keywords"]
    with pytest.raises(imports.ImportRejected):
        imports.plan_marc(b"00012 khong phai marc")


def test_bibtex_and_csv_exports(editor, make_document, client_for):
    article, book = _catalogued(make_document, editor)
    bib = to_bibtex(Document.objects.filter(pk__in=[article.pk, book.pk]).order_by("pk"))
    assert f"@article{{tran2023_{article.pk}," in bib
    assert "author = {Trần Văn Hậu and Đỗ Thị Đào}" in bib
    assert "journal = {Tạp chí KH\\&CN Cần Thơ, số 3}" in bib
    assert "title = {Sổ tay bảo quản trái cây \\{100\\%\\}}" in bib
    response = client_for(None).get(f"/thu-vien/tai-lieu/{article.pk}/xuat/bibtex/")
    assert (
        response["Content-Type"].startswith("application/x-bibtex")
        and b"@article" in response.content
    )
    csv_text = (
        client_for(None)
        .get("/thu-vien/xuat/csv/", {"id": [article.pk, book.pk]})
        .content.decode("utf-8-sig")
    )
    # The CSV export reads back through the importer without errors.
    plan = imports.plan_sheet(csv_text.encode("utf-8"), "x.csv")
    assert plan.ok and {r.data["title"] for r in plan.rows} == {article.title, book.title}


def test_sample_data_loads_and_is_idempotent(admin_user, run_on_commit):
    from sti.library.sample import load_sample

    messages = []
    with run_on_commit():
        load_sample(messages.append)
    count = Document.objects.count()
    assert count >= 28 and Collection.objects.filter(slug="tap-chi-khcn-can-tho").exists()
    assert (
        Document.objects.filter(access="staff").count() == 1
        and Document.objects.filter(access="embargoed").count() == 1
    )
    assert DocumentFile.objects.exclude(text="").count() == 5
    load_sample(messages.append)
    assert Document.objects.count() == count


def test_import_template_names_the_export_columns(client_for, editor):
    import openpyxl

    from sti.library.exports import CSV_COLUMNS

    assert [column.key for column in imports.DocumentImporter.columns] == CSV_COLUMNS
    response = client_for(editor).get("/thu-vien/bien-tap/nhap/mau.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Dữ liệu"]["A1"].value == "Nhan đề *"
    # A sheet filled in from the template (Vietnamese headers) reads like the CSV export.
    rows = [[c.value for c in book["Dữ liệu"][1]], ["Đê bao Thới Lai"]]
    sheet = openpyxl.Workbook()
    for row in rows:
        sheet.active.append(row)
    buffer = io.BytesIO()
    sheet.save(buffer)
    plan = imports.plan_sheet(buffer.getvalue(), "mau.xlsx")
    assert plan.ok and plan.rows[0].data["title"] == "Đê bao Thới Lai"


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (90 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage\x81\x8d", "Không đọc được bảng"),
        (b"PK\x03\x04 broken", "Không đọc được tệp Excel"),
        ("Tiêu đề;Năm\nĐê bao;2020\n".encode("utf-16"), "Thiếu cột bắt buộc"),
        (_bomb, "giải nén quá lớn"),  # built only when this case runs
    ],
)
def test_bad_metadata_files_are_refused_without_an_error_page(editor, client_for, content, message):
    content = content() if callable(content) else content
    response = client_for(editor).post(
        "/thu-vien/bien-tap/nhap/", {"metadata": upload("du-lieu.xlsx", content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_confirm_imports_once(editor, monkeypatch):
    """Two confirmations of one staged import at the same time (a double click, two tabs,
    two web hosts): the second waits for the first and finds the stash used, instead of
    creating every document a second time. Needs row locks: PostgreSQL (the test database
    of SQLite is shared in memory, where a waiting writer fails at once instead of waiting)."""
    import threading
    import time

    from django.db import connection, connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("concurrent confirmations need PostgreSQL (DATABASE_URL)")
    from sti.library.views import imports as import_views

    sheet = HEADER + '"Một lần thôi","Trần Văn Hậu","","","",2023,report,vie,public,,,\n'
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(editor)
    preview = _post_import(clients[0], sheet, None).content.decode()
    token = preview.split('name="token" value="')[1].split('"')[0]
    slow = import_views.imports.run_import

    def run_import(*args, **kwargs):
        documents = slow(*args, **kwargs)
        time.sleep(1)  # the other confirmation arrives meanwhile
        return documents

    monkeypatch.setattr(import_views.imports, "run_import", run_import)
    answers = []

    def confirm(client):
        try:
            answers.append(
                client.post("/thu-vien/bien-tap/nhap/", {"confirm": "1", "token": token})
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
        time.sleep(0.3)
    for thread in threads:
        thread.join(timeout=30)
    assert [answer.status_code for answer in answers] == [302, 302]
    assert Document.objects.filter(title="Một lần thôi").count() == 1
