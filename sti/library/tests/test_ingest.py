"""Ingestion: text extraction, OCR of Vietnamese scans (CER), quality flags, file storage
by content hash, and malformed uploads that must leave nothing behind."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from sti.core.choices import JobState
from sti.core.models import TrackedJob
from sti.library import services, storage
from sti.library.choices import QualityFlag, TextMethod
from sti.library.models import DocumentFile
from sti.library.tests.conftest import (
    VIETNAMESE_PAGE,
    cer,
    docx_bytes,
    image_pdf,
    render_page,
    text_pdf,
    upload,
)

pytestmark = pytest.mark.django_db


def _ingest(editor, document, name, content, run_on_commit):
    with run_on_commit():
        file = services.add_file(editor, document, upload(name, content))
    file.refresh_from_db()
    return file


def _files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


# ---------------------------------------------------------------------------
# OCR
# ---------------------------------------------------------------------------
def test_clean_300dpi_scan_is_ocrd_with_cer_under_2_percent(
    editor, make_document, run_on_commit, ocr_ready
):
    document = make_document("Báo cáo quét 300 dpi", digitization="scanned")
    pdf = image_pdf(render_page(VIETNAMESE_PAGE, dpi=300), 300)
    file = _ingest(editor, document, "bao-cao-quet.pdf", pdf, run_on_commit)

    assert file.text_method == TextMethod.OCR
    error_rate = cer(VIETNAMESE_PAGE, file.text)
    assert error_rate < 0.02, (error_rate, file.text)
    assert file.quality == QualityFlag.OK
    assert file.ocr_confidence is not None and file.ocr_confidence > 80
    assert file.latest_job().state == JobState.DONE
    # A searchable PDF is kept and is what downloads serve.
    assert file.ocr_sha256 and storage.blob(file.ocr_sha256).exists()
    document.refresh_from_db()
    assert document.digitization == "ocr"


def test_degraded_150dpi_scan_has_cer_under_5_percent(
    editor, make_document, run_on_commit, ocr_ready
):
    document = make_document("Báo cáo quét 150 dpi")
    pdf = image_pdf(render_page(VIETNAMESE_PAGE, dpi=150, degrade=True), 150)
    file = _ingest(editor, document, "ban-quet-kem.pdf", pdf, run_on_commit)

    assert file.text_method == TextMethod.OCR
    error_rate = cer(VIETNAMESE_PAGE, file.text)
    assert error_rate < 0.05, (error_rate, file.text)


def test_ocr_text_is_searchable_with_and_without_accents(
    editor, make_document, run_on_commit, ocr_ready, client
):
    document = make_document("Ảnh quét không có lớp chữ", abstract="")
    image = render_page(VIETNAMESE_PAGE, dpi=300)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    _ingest(editor, document, "trang-quet.png", buffer.getvalue(), run_on_commit)
    for q in ("héc ta", "hec ta", "xâm nhập mặn"):
        html = client.get("/thu-vien/", {"q": q}).content.decode()
        assert f"/thu-vien/tai-lieu/{document.pk}/" in html, q
        assert "<mark>" in html


def test_blank_scan_is_flagged_not_accepted(
    editor, make_document, run_on_commit, ocr_ready, client_for
):
    document = make_document("Trang trắng")
    blank = Image.new("L", (2480, 3508), 255)
    file = _ingest(editor, document, "trang-trang.pdf", image_pdf(blank, 300), run_on_commit)

    assert file.text_method == TextMethod.OCR
    assert file.quality == QualityFlag.BLANK
    assert file.needs_attention
    page = client_for(editor).get("/thu-vien/bien-tap/tep-can-kiem-tra/").content.decode()
    assert "trang-trang.pdf" in page
    # An editor can confirm it after looking; then it leaves the list.
    services.confirm_quality(editor, file)
    page = client_for(editor).get("/thu-vien/bien-tap/tep-can-kiem-tra/").content.decode()
    assert "trang-trang.pdf" not in page


def test_without_tesseract_the_file_stays_queued(
    editor, make_document, run_on_commit, monkeypatch, client_for
):
    from sti.library import ingest

    monkeypatch.setattr(
        ingest,
        "ocr_status",
        lambda: (False, "chưa cài Tesseract (gói hệ thống tesseract-ocr, tesseract-ocr-vie)"),
    )
    document = make_document("Chờ OCR")
    pdf = image_pdf(render_page("Cần Thơ", dpi=100), 100)
    file = _ingest(editor, document, "cho-ocr.pdf", pdf, run_on_commit)

    job = file.latest_job()
    assert job.state == JobState.WAITING
    assert "OCR không khả dụng" in job.message
    assert file.quality == QualityFlag.PENDING and file.text == ""
    html = client_for(editor).get(document.get_absolute_url()).content.decode()
    assert "OCR không khả dụng" in html
    # Once OCR is back, the waiting file is requeued by the service.
    monkeypatch.setattr(ingest, "ocr_status", lambda: (True, ""))
    monkeypatch.setattr(ingest, "ocr_available", lambda: True)
    calls = []
    from sti.core import jobs as core_jobs

    monkeypatch.setattr(core_jobs, "_send", lambda *call: calls.append(call))
    with run_on_commit():
        assert services.requeue_waiting_for_ocr(editor) == 1
    queued = TrackedJob.objects.for_target(file).get(state=JobState.QUEUED)
    # The job knows its task and arguments, so that a live worker can take it again.
    assert queued.task_path == "sti.library.tasks.ingest_file" and queued.task_args == [queued.pk]
    assert calls == [(queued.pk, "sti.library.tasks.ingest_file", [queued.pk])]


# ---------------------------------------------------------------------------
# Text layers
# ---------------------------------------------------------------------------
def test_text_pdf_and_docx_are_extracted_without_ocr(
    editor, make_document, run_on_commit, monkeypatch
):
    from sti.library import ingest

    monkeypatch.setattr(
        ingest, "run_ocr", lambda *a, **k: pytest.fail("OCR must not run on a text PDF")
    )
    document = make_document("Có lớp chữ")
    pdf_file = _ingest(editor, document, "bao-cao.pdf", text_pdf(VIETNAMESE_PAGE), run_on_commit)
    assert pdf_file.text_method == TextMethod.PDF_TEXT
    assert cer(VIETNAMESE_PAGE, pdf_file.text) < 0.01
    assert pdf_file.quality == QualityFlag.OK and pdf_file.page_count == 1

    docx_file = _ingest(
        editor,
        document,
        "tom-tat.docx",
        docx_bytes("Đường về Cờ Đỏ\nĐánh giá độ mặn"),
        run_on_commit,
    )
    assert docx_file.mime_type == storage.DOCX
    assert docx_file.text_method == TextMethod.DOCX
    assert "Đường về Cờ Đỏ" in docx_file.text and "Độ mặn 4‰" in docx_file.text


def test_nfd_text_is_stored_nfc(editor, make_document, run_on_commit):
    import unicodedata

    document = make_document(unicodedata.normalize("NFD", "Nghiên cứu đường Cần Thơ"))
    assert document.title == "Nghiên cứu đường Cần Thơ"
    file = _ingest(
        editor,
        document,
        "nfd.docx",
        docx_bytes(unicodedata.normalize("NFD", "Thủy sản Hậu Giang")),
        run_on_commit,
    )
    assert "Thủy sản Hậu Giang" in file.text


def test_suspicious_character_mix_is_flagged():
    from sti.library.ingest import assess

    flag, _note = assess("Ɐ⊗⊕ ∰∱ ⨌⨍ ⌘⌥ " * 20 + "Cần Thơ", 1, None)
    assert flag == QualityFlag.SUSPICIOUS
    assert assess("Cần Thơ " * 20, 1, 35.0)[0] == QualityFlag.LOW_CONFIDENCE
    assert assess("Đường Cần Thơ, Đồng bằng sông Cửu Long. " * 10, 1, 91.0)[0] == QualityFlag.OK


# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------
def test_same_file_twice_is_stored_once(editor, make_document, run_on_commit, media_root):
    first, second = make_document("Một"), make_document("Hai")
    content = docx_bytes("Nội dung giống nhau")
    a = _ingest(editor, first, "a.docx", content, run_on_commit)
    b = _ingest(editor, second, "b.docx", content, run_on_commit)
    assert a.sha256 == b.sha256
    blobs = [
        p
        for p in _files_under(media_root)
        if p.parent.parent.parent == Path(media_root) and p.name == a.sha256
    ]
    assert len(blobs) == 1
    assert b"".join(storage.blob(a.sha256).chunks()) == content
    # Removing one file keeps the bytes the other still uses.
    services.remove_file(editor, a)
    with run_on_commit():
        pass
    assert storage.blob(b.sha256).exists()


def _assert_nothing_written(media_root):
    leftovers = [p for p in _files_under(media_root)]
    assert leftovers == [], leftovers
    assert not DocumentFile.objects.exists()
    assert not TrackedJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cat-cut.pdf", text_pdf(VIETNAMESE_PAGE)[:-400], "cắt cụt"),
        ("chuong-trinh.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "thực thi"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "thực thi"),
        ("elf.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "thực thi"),
        ("rong.pdf", b"", "rỗng"),
        ("van-ban.pdf", "Chỉ là văn bản thường, không phải PDF".encode(), "không được hỗ trợ"),
    ],
)
def test_malformed_upload_is_rejected_and_leaves_nothing(
    editor, make_document, media_root, name, content, message
):
    document = make_document("Tải lên hỏng")
    with pytest.raises(storage.UploadRejected) as error:
        services.add_file(editor, document, upload(name, content))
    assert message in " ".join(error.value.messages)
    _assert_nothing_written(media_root)


def test_upload_over_the_limit_is_rejected(editor, make_document, media_root, settings):
    settings.STI_MAX_UPLOAD_MB = 1
    document = make_document("Quá lớn")
    big = text_pdf("x") + b"%" * (1024 * 1024 + 10)
    with pytest.raises(storage.UploadRejected) as error:
        services.add_file(editor, document, upload("lon.pdf", big))
    assert "quá lớn" in " ".join(error.value.messages).lower()
    # The declared size alone is refused before reading (the streaming check is tested above).
    stream = upload("lon2.pdf", big)
    with pytest.raises(storage.UploadRejected):
        storage.spool(io.BytesIO(big), "lon3.pdf")
    del stream
    _assert_nothing_written(media_root)


def test_upload_page_shows_a_clear_error(editor, make_document, client_for, media_root):
    document = make_document("Qua trang")
    response = client_for(editor).post(
        f"/thu-vien/tai-lieu/{document.pk}/tep/",
        {"file": upload("virus.pdf", b"MZ" + b"\x00" * 100)},
        follow=True,
    )
    assert "Tệp thực thi" in response.content.decode()
    _assert_nothing_written(media_root)


def test_docx_zip_with_path_traversal_is_not_a_docx(editor, make_document, media_root):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../x", "thoát ra ngoài")
    document = make_document("ZIP lạ")
    with pytest.raises(storage.UploadRejected):
        services.add_file(editor, document, upload("la.docx", buffer.getvalue()))
    _assert_nothing_written(media_root)


def test_registered_user_cannot_upload_to_someone_elses_document(
    registered, make_document, client_for, media_root
):
    document = make_document("Không phải của bạn")
    response = client_for(registered).post(
        f"/thu-vien/tai-lieu/{document.pk}/tep/", {"file": upload("a.docx", docx_bytes("x"))}
    )
    assert response.status_code == 403
    _assert_nothing_written(media_root)


def test_requeue_ocr_command_reports_what_it_queued(db, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from sti.library import ingest

    monkeypatch.setattr(ingest, "ocr_available", lambda: False)
    out = StringIO()
    call_command("requeue_ocr", stdout=out)
    assert out.getvalue().startswith("0 tệp")
