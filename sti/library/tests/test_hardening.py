"""Issue 9: a corrupt ZIP member in a batch import is a row error (no 5xx, nothing staged
stays), files are typed by content, and withdrawing or rejecting needs a confirmation."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from sti.core import files
from sti.core import imports as core_imports
from sti.library import services
from sti.library.choices import DocumentStatus
from sti.library.models import Document, DocumentFile
from sti.library.tests.conftest import text_pdf, upload
from sti.library.tests.test_interop import HEADER

pytestmark = pytest.mark.django_db
URL = "/thu-vien/bien-tap/nhap/"


def _zip_with_corrupt_member() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("tot.pdf", text_pdf("Độ mặn Cù Lao Dung"))
        archive.writestr("hong.pdf", text_pdf("Nuôi tôm tuần hoàn ở Bạc Liêu"))
    data = buffer.getvalue()
    # Flip one byte inside the second member's stored bytes: its CRC no longer matches.
    start = data.index(b"%PDF-", data.index(b"hong.pdf")) + 200
    return data[:start] + bytes([data[start] ^ 0x01]) + data[start + 1 :]


def _staged(data_dir) -> list[str]:
    """What is staged: on the shared storage, and this host's copies."""
    folder = Path(data_dir) / "imports"
    copies = sorted(str(path) for path in folder.iterdir()) if folder.exists() else []
    return [listed.name for listed in files.walk(prefix=core_imports.STASH_FOLDER)] + copies


def _blobs(media_root) -> list[Path]:
    return [
        p
        for p in Path(media_root).rglob("*")
        if p.is_file() and "tmp" not in p.relative_to(media_root).parts
    ]


def _post(client, sheet: str, zip_bytes: bytes):
    return client.post(
        URL,
        {
            "metadata": upload("du-lieu.csv", sheet.encode("utf-8")),
            "files": upload("tep.zip", zip_bytes),
        },
    )


SHEET = HEADER + (
    '"Đánh giá độ mặn",A,,,,2023,report,vie,public,,,tot.pdf\n'
    '"Nuôi tôm tuần hoàn",B,,,,2022,report,vie,public,,,hong.pdf\n'
)


def test_a_corrupt_zip_member_is_a_row_error_and_nothing_stays_staged(
    client_for, editor, media_root, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    response = _post(client_for(editor), SHEET, _zip_with_corrupt_member())
    assert response.status_code == 200
    page = response.content.decode()
    assert "hong.pdf" in page and "bị hỏng" in page
    assert "Nhập 2 tài liệu" not in page and 'name="confirm"' not in page
    assert _staged(settings.DATA_DIR) == []
    assert not Document.objects.exists() and not DocumentFile.objects.exists()
    assert _blobs(media_root) == []
    assert not [path for path in (Path(media_root) / "tmp").rglob("*") if path.is_file()]


def test_a_preview_discarded_by_the_editor_leaves_no_staged_file(
    client_for, editor, media_root, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    sheet = HEADER + '"Đánh giá độ mặn",A,,,,2023,report,vie,public,,,tot.pdf\n'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tot.pdf", text_pdf("Độ mặn"))
    client = client_for(editor)
    page = _post(client, sheet, buffer.getvalue()).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    assert len(_staged(settings.DATA_DIR)) == 3  # the sheet, the ZIP and their metadata
    response = client.post(URL, {"confirm": "1", "token": token, "discard": "1"})
    assert response.status_code == 302
    assert _staged(settings.DATA_DIR) == [] and not Document.objects.exists()


def test_a_member_cannot_reach_the_import(client_for, member_a, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    response = _post(client_for(member_a), SHEET, _zip_with_corrupt_member())
    assert response.status_code in (302, 403) and _staged(settings.DATA_DIR) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),
        ("bao-cao.pdf", b"PK\x03\x04" + b"\0" * 60),
    ],
)
def test_upload_page_refuses_a_file_that_is_not_a_pdf(
    client_for, editor, make_document, media_root, name, content
):
    document = make_document()
    response = client_for(editor).post(
        f"/thu-vien/tai-lieu/{document.pk}/tep/", {"file": upload(name, content)}, follow=True
    )
    assert response.status_code == 200
    assert not DocumentFile.objects.exists() and _blobs(media_root) == []


def test_withdrawing_needs_the_confirmation(client_for, editor, member_a, make_document):
    document = make_document()
    client = client_for(editor)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'name="confirmed"' in page and "không thể khôi phục" in page
    url = f"/thu-vien/tai-lieu/{document.pk}/rut/"
    response = client.post(url, {"note": "Trùng bản ghi"}, follow=True)
    document.refresh_from_db()
    assert document.status != DocumentStatus.WITHDRAWN
    assert "không thể hoàn tác" in response.content.decode()
    assert client_for(member_a).post(url, {"confirmed": "1"}).status_code in (302, 403)
    document.refresh_from_db()
    assert document.status != DocumentStatus.WITHDRAWN
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITHDRAWN


def test_rejecting_a_deposit_needs_the_confirmation(client_for, editor, registered):
    document = services.deposit(
        registered, {"title": "Báo cáo nộp", "year": 2024, "source_type": "report"}
    )
    client = client_for(editor)
    url = f"/thu-vien/tai-lieu/{document.pk}/duyet/"
    client.post(url, {"decision": "reject", "comment": "Không phù hợp"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    client.post(url, {"decision": "reject", "comment": "Không phù hợp", "confirmed": "1"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED
