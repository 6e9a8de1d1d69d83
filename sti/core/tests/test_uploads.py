"""The shared content check of every stored upload (sti.core.uploads)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.core import uploads
from sti.library.tests.conftest import docx_bytes, text_pdf


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _corrupt_member(data: bytes, marker: bytes) -> bytes:
    """The archive with one byte of a stored member changed: its CRC no longer matches."""
    at = data.index(marker)
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


def _check(name: str, content: bytes, accept=uploads.DOCUMENTS):
    return uploads.check_file(io.BytesIO(content), name=name, accept=accept)


HTML_WITH_PDF_HEADER = (
    b"%PDF-1.4\n<html><body><script>document.location='//evil'</script></body></html>\n"
    b"1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
)


def test_a_valid_pdf_passes_and_its_pages_are_counted():
    checked = _check("bao-cao.pdf", text_pdf("Độ mặn Cù Lao Dung"))
    assert checked.mime_type == uploads.PDF and checked.pages == 1


def test_html_with_a_pdf_header_named_pdf_is_refused():
    with pytest.raises(uploads.UploadRejected, match="HTML"):
        _check("bao-cao.pdf", HTML_WITH_PDF_HEADER)


def test_a_pdf_header_after_other_bytes_is_not_a_pdf():
    content = b"<!-- x -->\n" + text_pdf("x")
    with pytest.raises(uploads.UploadRejected, match="không nằm ở đầu tệp"):
        _check("bao-cao.pdf", content)


@pytest.mark.parametrize(
    "entries",
    [
        {"bao-cao.pdf": b"%PDF-1.4 trong ZIP"},
        {"../../static/x.html": b"%PDF-1.4 <script>"},
    ],
    ids=["plain-zip", "traversal-zip"],
)
def test_a_zip_renamed_pdf_is_refused(entries):
    with pytest.raises(uploads.UploadRejected):
        _check("bao-cao.pdf", _zip(entries))
    # Even where archives are accepted, a ZIP is not stored under a .pdf name.
    if "../../static/x.html" in entries:
        with pytest.raises(uploads.UploadRejected, match="không an toàn"):
            _check("du-lieu.zip", _zip(entries), accept={uploads.ZIP})
    else:
        with pytest.raises(uploads.UploadRejected, match=r"đuôi \.pdf nhưng nội dung là ZIP"):
            _check("bao-cao.pdf", _zip(entries), accept={uploads.PDF, uploads.ZIP})


def test_a_zip_with_a_corrupt_member_is_refused():
    data = _corrupt_member(
        _zip({"so-lieu.csv": b"nam,do_man\n2023,4\n" * 20}, zipfile.ZIP_STORED), b"2023,4"
    )
    with pytest.raises(uploads.UploadRejected, match="CRC"):
        _check("du-lieu.zip", data, accept={uploads.ZIP})


def test_a_truncated_pdf_is_refused():
    content = text_pdf("Nghiên cứu chọn tạo giống lúa thơm chịu mặn")
    with pytest.raises(uploads.UploadRejected, match="cắt cụt|Không mở được"):
        _check("bao-cao.pdf", content[: len(content) // 2])


def test_a_docx_that_is_a_corrupt_zip_is_refused():
    good = docx_bytes("Tôm thẻ chân trắng")
    assert _check("bao-cao.docx", good).mime_type == uploads.DOCX
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_STORED)
    corrupt = _corrupt_member(buffer.getvalue(), "Tôm thẻ".encode())
    with pytest.raises(uploads.UploadRejected, match="CRC"):
        _check("bao-cao.docx", corrupt)
    with pytest.raises(uploads.UploadRejected, match="ZIP"):
        _check("bao-cao.docx", good[: len(good) // 2])


def test_the_extension_must_agree_with_the_content():
    with pytest.raises(uploads.UploadRejected, match=r"đuôi \.docx nhưng nội dung là PDF"):
        _check("bao-cao.docx", text_pdf("x"))
    with pytest.raises(uploads.UploadRejected, match=r"đuôi \.html"):
        _check("trang.html", text_pdf("x"))
    assert _check("khong-duoi", text_pdf("x")).mime_type == uploads.PDF


def test_an_xlsx_is_only_accepted_where_asked():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Tên", "Năm"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _check("bang.xlsx", buffer.getvalue(), accept=uploads.OFFICE).mime_type == uploads.XLSX
    with pytest.raises(uploads.UploadRejected, match="chỉ nhận PDF, DOCX"):
        _check("bang.xlsx", buffer.getvalue())


def test_the_form_field_refuses_and_names_an_upload_without_extension():
    field = uploads.CheckedFileField(accept=uploads.DOCUMENTS)
    with pytest.raises(uploads.UploadRejected):
        field.clean(SimpleUploadedFile("x.pdf", HTML_WITH_PDF_HEADER))
    cleaned = field.clean(SimpleUploadedFile("bien-ban", text_pdf("x")))
    assert cleaned.name == "bien-ban.pdf"


def _png(size=(4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_pixel_bomb_is_refused_not_a_server_error(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 2× past it raises in Pillow
    with pytest.raises(uploads.UploadRejected, match="điểm ảnh quá lớn"):
        _check("anh.png", _png((40, 40)), accept=uploads.WEB_IMAGES)


def test_the_several_files_field_checks_each_file_count_and_size():
    field = uploads.CheckedFilesField(accept=uploads.WEB_IMAGES, max_files=2, max_mb=0.01)
    assert field.clean([]) == []
    cleaned = field.clean([SimpleUploadedFile("xoài", _png()), SimpleUploadedFile("b.PNG", _png())])
    assert [upload.name for upload in cleaned] == ["xoài.png", "b.PNG"]
    # A PDF is not a picture, whatever its name; the message names the file.
    with pytest.raises(uploads.ValidationError, match="“anh.png”"):
        field.clean([SimpleUploadedFile("anh.png", text_pdf("x"))])
    with pytest.raises(uploads.ValidationError, match="tối đa 2 tệp"):
        field.clean([SimpleUploadedFile(f"{n}.png", _png()) for n in range(3)])
    with pytest.raises(uploads.ValidationError, match="quá lớn"):
        field.clean([SimpleUploadedFile("to.png", _png() + b"\0" * 20_000)])
    tiff = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(tiff, "TIFF")
    with pytest.raises(uploads.ValidationError, match="chỉ nhận PNG, JPEG"):
        field.clean([SimpleUploadedFile("scan.tif", tiff.getvalue())])
