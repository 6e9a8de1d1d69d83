"""Content-addressed file storage and upload checks.

Bytes are stored once per SHA-256 under MEDIA_ROOT (`ab/cd/abcd…`), so the same file
uploaded twice, or attached to two documents, takes the space of one. An upload is first
spooled to a temporary file in MEDIA_ROOT/tmp (same disk, so placing it is an atomic rename),
hashed, size-limited and typed by its content, never by its name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGES = {"image/png", "image/jpeg", "image/tiff"}
ACCEPTED = {PDF, DOCX, *IMAGES}
EXTENSIONS = {
    PDF: "pdf",
    DOCX: "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
}

# Magic numbers of executables and scripts: rejected whatever the file is called.
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_CHUNK = 1024 * 1024


class UploadRejected(ValidationError):
    """An upload that must not be stored; the message says why, in the user's language."""


@dataclass
class SpooledUpload:
    path: Path
    sha256: str
    size: int
    mime_type: str
    name: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def max_upload_bytes() -> int:
    return settings.STI_MAX_UPLOAD_MB * 1024 * 1024


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(settings.MEDIA_ROOT) / sha256[:2] / sha256[2:4] / sha256


def tmp_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_name(name: str) -> str:
    """The base name of an uploaded file, without any directory part or control character."""
    base = os.path.basename(str(name).replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200] or "tep"


# ---------------------------------------------------------------------------
# Content checks
# ---------------------------------------------------------------------------
def _check_pdf(path: Path) -> None:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise UploadRejected(_("Tệp PDF bị cắt cụt hoặc hỏng (thiếu phần kết thúc %%EOF)."))
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
        pages = len(pdf)
        pdf.close()
    except pdfium.PdfiumError as error:
        raise UploadRejected(_("Không mở được tệp PDF: tệp hỏng hoặc có mật khẩu.")) from error
    if pages == 0:
        raise UploadRejected(_("Tệp PDF không có trang nào."))


def _check_docx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise UploadRejected(_("Tệp ZIP này không phải văn bản DOCX."))
            if archive.testzip() is not None:
                raise UploadRejected(_("Tệp DOCX bị hỏng."))
    except zipfile.BadZipFile as error:
        raise UploadRejected(_("Tệp DOCX bị hỏng hoặc bị cắt cụt.")) from error


def _check_image(path: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise UploadRejected(_("Tệp ảnh bị hỏng hoặc bị cắt cụt.")) from error


def detect_type(path: Path) -> str:
    """The MIME type of a file judged by its bytes; raises UploadRejected when not accepted."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise UploadRejected(_("Tệp rỗng."))
    if head.startswith(_EXECUTABLE_MAGIC):
        raise UploadRejected(
            _("Tệp thực thi (chương trình, script) không được phép tải lên, dù đặt tên gì.")
        )
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") >= 0:
        _check_pdf(path)
        return PDF
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime in (
        "application/x-msdownload",
        "application/x-executable",
        "application/x-mach-binary",
        "application/x-sharedlib",
        "application/vnd.microsoft.portable-executable",
    ):
        raise UploadRejected(
            _("Tệp thực thi (chương trình, script) không được phép tải lên, dù đặt tên gì.")
        )
    if head.startswith(b"PK\x03\x04"):
        _check_docx(path)
        return DOCX
    if mime in IMAGES:
        _check_image(path)
        return mime
    raise UploadRejected(
        _("Định dạng tệp không được hỗ trợ: chỉ nhận PDF, DOCX và ảnh quét (PNG, JPEG, TIFF).")
    )


# ---------------------------------------------------------------------------
# Spooling and placing
# ---------------------------------------------------------------------------
def spool(fileobj, name: str, declared_size: int | None = None) -> SpooledUpload:
    """Copy an upload to a temporary file, hashing it; enforce the size limit and check its type.

    On any rejection the temporary file is removed before the error is raised.
    """
    limit = max_upload_bytes()
    if declared_size is not None and declared_size > limit:
        raise UploadRejected(
            _("Tệp quá lớn: %(size)s MB, giới hạn %(limit)s MB.")
            % {"size": round(declared_size / 1048576, 1), "limit": settings.STI_MAX_UPLOAD_MB}
        )
    handle, raw_path = tempfile.mkstemp(dir=tmp_dir(), prefix="upload-")
    path = Path(raw_path)
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            chunks = (
                fileobj.chunks(_CHUNK)
                if hasattr(fileobj, "chunks")
                else iter(lambda: fileobj.read(_CHUNK), b"")
            )
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadRejected(
                        _("Tệp quá lớn: vượt giới hạn %(limit)s MB.")
                        % {"limit": settings.STI_MAX_UPLOAD_MB}
                    )
                digest.update(chunk)
                out.write(chunk)
        mime = detect_type(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SpooledUpload(
        path=path, sha256=digest.hexdigest(), size=size, mime_type=mime, name=safe_name(name)
    )


def place(upload: SpooledUpload) -> bool:
    """Move a spooled file to its content address; returns False when those bytes were already stored."""
    target = blob_path(upload.sha256)
    if target.exists():
        upload.discard()
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(upload.path, target)
    return True


def store_bytes_file(path: Path) -> str:
    """Store a file produced by the platform itself (an OCR'd PDF); returns its SHA-256."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    target = blob_path(sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = tmp_dir() / f"place-{sha}"
        with path.open("rb") as src, staged.open("wb") as dst:
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                dst.write(chunk)
        os.replace(staged, target)
    return sha


def remove_blob_if_unused(sha256: str) -> None:
    """Delete stored bytes no file row points to any more."""
    from sti.library.models import DocumentFile

    if not sha256:
        return
    from django.db.models import Q

    if DocumentFile.objects.filter(Q(sha256=sha256) | Q(ocr_sha256=sha256)).exists():
        return
    blob_path(sha256).unlink(missing_ok=True)
