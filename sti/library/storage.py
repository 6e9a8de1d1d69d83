"""Content-addressed file storage and upload checks.

Bytes are stored once per SHA-256 under the name `ab/cd/abcd…` on the configured storage
(sti.core.files: local files under MEDIA_ROOT, or an S3 bucket), so the same file uploaded
twice, or attached to two documents, takes the space of one, and a blob has the same name on
every storage. An upload is first spooled to a temporary file in MEDIA_ROOT/tmp (on local
storage the same disk, so placing it is an atomic rename), hashed, size-limited and typed by
its content, never by its name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from sti.core import files, uploads

PDF = uploads.PDF
DOCX = uploads.DOCX
IMAGES = set(uploads.IMAGES)
ACCEPTED = set(uploads.DOCUMENTS)
EXTENSIONS = {mime: uploads.EXTENSIONS[mime][0] for mime in ACCEPTED}
_CHUNK = 1024 * 1024


# The shared refusal (sti.core.uploads), named here for the library's callers.
UploadRejected = uploads.UploadRejected


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


def blob_name(sha256: str) -> str:
    """The storage name of the bytes with this SHA-256 (hex)."""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def blob(sha256: str) -> files.Stored:
    """The stored bytes with this SHA-256, to read (`files.local_copy`) or serve."""
    return files.Stored(blob_name(sha256))


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
def detect_type(path: Path, name: str = "") -> str:
    """The MIME type of a file judged by its bytes (sti.core.uploads.check_file: it must open
    as that type and agree with the extension of `name`); raises UploadRejected."""
    return uploads.check_file(path, name=name, accept=ACCEPTED).mime_type


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
            for chunk in _read(chunks, name):
                size += len(chunk)
                if size > limit:
                    raise UploadRejected(
                        _("Tệp quá lớn: vượt giới hạn %(limit)s MB.")
                        % {"limit": settings.STI_MAX_UPLOAD_MB}
                    )
                digest.update(chunk)
                out.write(chunk)
        mime = detect_type(path, name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SpooledUpload(
        path=path, sha256=digest.hexdigest(), size=size, mime_type=mime, name=safe_name(name)
    )


def _read(chunks, name: str):
    """The chunks of an upload; a ZIP member that cannot be inflated (bad CRC, broken
    stream) is an UploadRejected naming it, never a crash."""
    try:
        yield from chunks
    except UploadRejected:
        raise
    except Exception as error:  # zipfile.BadZipFile (CRC), zlib.error, EOFError…
        raise UploadRejected(
            _("Tệp “%(name)s” bị hỏng (không đọc được trọn vẹn).") % {"name": safe_name(name)}
        ) from error


def place(upload: SpooledUpload) -> bool:
    """Store a spooled file at its content address (consuming the spooled file); returns False
    when those bytes were already stored."""
    return files.put(blob_name(upload.sha256), upload.path, move=True)


def store_bytes_file(path: Path) -> str:
    """Store a file produced by the platform itself (an OCR'd PDF); returns its SHA-256."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    files.put(blob_name(sha), path)
    return sha


def remove_blob(sha256: str) -> None:
    files.delete(blob_name(sha256))


def remove_blob_if_unused(sha256: str) -> None:
    """Delete stored bytes no file row points to any more."""
    from sti.library.models import DocumentFile

    if not sha256:
        return
    from django.db.models import Q

    if DocumentFile.objects.filter(Q(sha256=sha256) | Q(ocr_sha256=sha256)).exists():
        return
    remove_blob(sha256)
