"""The one content check every stored upload goes through.

A file is typed by its bytes, never by its name or the browser's Content-Type, and the type
must agree with the file's extension (the type it will be stored and served as):

- PDF: starts with `%PDF-` (no prefix, so an HTML or ZIP "polyglot" with a PDF header deeper
  in the file is not a PDF), carries no HTML markup in its head, ends with `%%EOF`, and opens
  with pypdfium2 with at least one page;
- DOCX / XLSX: a safe ZIP (below) holding `[Content_Types].xml` and `word/document.xml` /
  `xl/workbook.xml`;
- ZIP (only where a caller accepts it): no absolute or `..` path, no symbolic link, no entry
  past its limits, every member passing its CRC (read through, as `ZipFile.testzip`);
- images (PNG, JPEG, TIFF): Pillow's `verify`.

Executables and scripts are refused whatever their name. `check_file` works on a path or a
seekable binary file; `CheckedFileField` is the form field of every upload a form saves as it
is (the projects' acceptance minutes and registration dossier), `CheckedFilesField` the same
for several files in one control (an offer's pictures, a demand's files); the library's
content-addressed storage and the shared spreadsheet import call `check_file` themselves.
A refused file is never written by these callers, so nothing stays behind.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sti.core.text import normalize

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
IMAGES = frozenset({PNG, JPEG, TIFF})
# What every browser shows in a page (TIFF is not): pictures published on the site.
WEB_IMAGES = frozenset({PNG, JPEG})
DOCUMENTS = frozenset({PDF, DOCX, *IMAGES})
OFFICE = frozenset({PDF, DOCX, XLSX, *IMAGES})

# The extensions a type may be stored under; the first is the one the platform gives it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    ZIP: ("zip",),
    PNG: ("png",),
    JPEG: ("jpg", "jpeg", "jpe"),
    TIFF: ("tif", "tiff"),
}
NAMES = {
    PDF: "PDF",
    DOCX: "DOCX",
    XLSX: "XLSX",
    ZIP: "ZIP",
    PNG: "PNG",
    JPEG: "JPEG",
    TIFF: "TIFF",
}

MAX_ZIP_ENTRIES = 5000
MAX_ZIP_RATIO = 200
# What a DOCX/XLSX may expand to: text and sheets compress well, so the total is the limit.
MAX_OFFICE_BYTES = 256 * 1024 * 1024

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
_EXECUTABLE_MIMES = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/x-sharedlib",
    "application/vnd.microsoft.portable-executable",
}
# Markup a browser would render as a page: never inside a file stored as a document.
_MARKUP = (b"<html", b"<!doctype html", b"<script", b"<body", b"<iframe", b"<svg", b"<head")
_HEAD = 8192


class UploadRejected(ValidationError):
    """An upload that must not be stored; the message says why, in the user's language."""


class ArchiveTooLarge(UploadRejected):
    """A ZIP that would expand past its limit (a ZIP bomb, or simply too much data)."""


@dataclass(frozen=True)
class CheckedFile:
    mime_type: str
    pages: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type][0]


def kinds(accept) -> str:
    return ", ".join(NAMES[mime] for mime in sorted(accept, key=list(NAMES).index))


def extension_of(name: str) -> str:
    base = os.path.basename(str(name or "").replace("\\", "/"))
    return base.rsplit(".", 1)[1].lower().strip() if "." in base.strip(".") else ""


# ---------------------------------------------------------------------------
# ZIP archives
# ---------------------------------------------------------------------------
def check_zip(
    source,
    *,
    max_entry_bytes: int | None = None,
    max_total_bytes: int | None = None,
    max_entries: int = MAX_ZIP_ENTRIES,
    max_ratio: int | None = MAX_ZIP_RATIO,
    verify: bool = True,
) -> set[str]:
    """NFC names of the files of a safe ZIP; raises UploadRejected for a broken archive, an
    absolute or `..` path, a symbolic link, too many entries, an oversized entry, a member
    failing its CRC (with `verify`), and ArchiveTooLarge past `max_total_bytes` or
    `max_ratio` (a ZIP bomb)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRejected(_("Tệp ZIP hỏng hoặc không phải ZIP.")) from error
    names: set[str] = set()
    total = 0
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            raise UploadRejected(_("ZIP có quá nhiều tệp."))
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise UploadRejected(
                    _("ZIP chứa đường dẫn không an toàn: “%(name)s”.") % {"name": name}
                )
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise UploadRejected(
                    _("ZIP chứa liên kết tượng trưng: “%(name)s”.") % {"name": name}
                )
            if info.is_dir():
                continue
            if max_entry_bytes is not None and info.file_size > max_entry_bytes:
                raise UploadRejected(
                    _("Tệp “%(name)s” trong ZIP vượt giới hạn dung lượng.") % {"name": name}
                )
            ratio = info.file_size / info.compress_size if info.compress_size else 0
            if max_ratio is not None and ratio > max_ratio:
                raise ArchiveTooLarge(
                    _("Tệp “%(name)s” trong ZIP có tỷ lệ nén bất thường.") % {"name": name}
                )
            total += info.file_size
            if max_total_bytes is not None and total > max_total_bytes:
                raise ArchiveTooLarge(_("Tệp giải nén quá lớn; hãy chia nhỏ tệp."))
            names.add(normalize(name))
        if verify:
            bad = _first_bad_member(archive)
            if bad is not None:
                raise UploadRejected(
                    _("Tệp “%(name)s” trong ZIP bị hỏng (sai mã kiểm tra CRC).") % {"name": bad}
                )
    return names


def _first_bad_member(archive: zipfile.ZipFile) -> str | None:
    """The name of the first member that fails its CRC or cannot be inflated, else None
    (`ZipFile.testzip`, which lets a broken deflate stream escape as zlib.error)."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            with archive.open(info) as handle:
                while handle.read(1024 * 1024):
                    pass
        except Exception:  # BadZipFile (CRC), zlib.error, EOFError, NotImplementedError…
            return normalize(info.filename)
    return None


# ---------------------------------------------------------------------------
# Content checks
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def _opened(source):
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        source.seek(0)
        try:
            yield source
        finally:
            source.seek(0)


def _size(handle) -> int:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def _check_pdf(handle, head: bytes) -> int:
    lowered = head.lower()
    if any(marker in lowered for marker in _MARKUP):
        raise UploadRejected(
            _("Tệp có phần đầu PDF nhưng chứa mã trang web (HTML): không phải PDF thật.")
        )
    size = _size(handle)
    handle.seek(max(0, size - 2048))
    tail = handle.read()
    handle.seek(0)
    if b"%%EOF" not in tail:
        raise UploadRejected(_("Tệp PDF bị cắt cụt hoặc hỏng (thiếu phần kết thúc %%EOF)."))
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(handle, autoclose=False)
        try:
            pages = len(pdf)
            if pages:
                pdf[0].close()  # the first page must load, not only the page count
        finally:
            pdf.close()
    except pdfium.PdfiumError as error:
        raise UploadRejected(_("Không mở được tệp PDF: tệp hỏng hoặc có mật khẩu.")) from error
    finally:
        handle.seek(0)
    if pages == 0:
        raise UploadRejected(_("Tệp PDF không có trang nào."))
    return pages


def _zip_type(handle) -> str:
    """DOCX, XLSX or ZIP by the parts a safe archive holds (raises for an unsafe one)."""
    try:
        names = check_zip(handle, max_ratio=None, max_total_bytes=MAX_OFFICE_BYTES)
    finally:
        handle.seek(0)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return ZIP


def _check_image(handle) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(handle) as image:
            image.verify()
    except Image.DecompressionBombError as error:  # not an OSError: it would be a 500
        raise UploadRejected(_("Ảnh có kích thước điểm ảnh quá lớn.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadRejected(_("Tệp ảnh bị hỏng hoặc bị cắt cụt.")) from error
    finally:
        handle.seek(0)


def _sniff(handle) -> tuple[str, int | None]:
    head = handle.read(_HEAD)
    handle.seek(0)
    if not head:
        raise UploadRejected(_("Tệp rỗng."))
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if head.startswith(_EXECUTABLE_MAGIC) or mime in _EXECUTABLE_MIMES:
        raise UploadRejected(
            _("Tệp thực thi (chương trình, script) không được phép tải lên, dù đặt tên gì.")
        )
    if head.startswith(b"%PDF-"):
        return PDF, _check_pdf(handle, head)
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(handle), None
    if mime in IMAGES:
        _check_image(handle)
        return mime, None
    if b"%PDF-" in head[:1024]:
        raise UploadRejected(
            _("Tệp có chữ ký PDF nhưng không nằm ở đầu tệp: không phải PDF thật (có thể là HTML).")
        )
    return mime or "", None


def check_file(source, *, name: str = "", accept=DOCUMENTS) -> CheckedFile:
    """Type a file by its bytes and check it opens as that type and agrees with the
    extension of `name`; raises UploadRejected with the reason."""
    with _opened(source) as handle:
        mime, pages = _sniff(handle)
    if mime not in accept:
        raise UploadRejected(
            _("Định dạng tệp không được hỗ trợ: chỉ nhận %(kinds)s.") % {"kinds": kinds(accept)}
        )
    extension = extension_of(name)
    if extension and extension not in EXTENSIONS[mime]:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” có đuôi .%(ext)s nhưng nội dung là %(kind)s: đuôi tệp phải "
                "khớp với nội dung."
            )
            % {"name": os.path.basename(str(name)), "ext": extension, "kind": NAMES[mime]}
        )
    return CheckedFile(mime_type=mime, pages=pages)


def check_uploaded(uploaded, *, accept=DOCUMENTS) -> CheckedFile:
    """`check_file` for a Django UploadedFile (on disk or in memory)."""
    path = getattr(uploaded, "temporary_file_path", None)
    source = Path(path()) if path else uploaded.file
    return check_file(source, name=uploaded.name, accept=accept)


class CheckedFileField(forms.FileField):
    """A file field whose upload must pass `check_file` for the types in `accept`."""

    def __init__(self, *args, accept=OFFICE, **kwargs):
        self.accept = frozenset(accept)
        kwargs.setdefault(
            "help_text",
            format_lazy(
                "{} {}.", gettext_lazy("Định dạng nhận (kiểm tra theo nội dung):"), kinds(accept)
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded and uploaded is not initial and hasattr(uploaded, "chunks"):
            checked = check_uploaded(uploaded, accept=self.accept)
            if not extension_of(uploaded.name):  # stored and served under its real type
                uploaded.name = f"{os.path.basename(uploaded.name) or 'tep'}.{checked.extension}"
        return uploaded


def check_size(uploaded, max_bytes: int) -> None:
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise UploadRejected(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": round(max_bytes / 1024 / 1024, 1)}
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Several files in one control, each checked by content (`check_file` for the types in
    `accept`) and size; returns the list of uploads (empty when none). An error names the
    refused file, and the form is shown again with everything else the user typed."""

    def __init__(self, *args, accept=DOCUMENTS, max_files: int = 5, max_mb: float = 10, **kwargs):
        self.accept = frozenset(accept)
        self.max_files = max_files
        self.max_bytes = int(max_mb * 1024 * 1024)
        extensions = sorted({f".{ext}" for mime in self.accept for ext in EXTENSIONS[mime]})
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(extensions)}))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            format_lazy(
                gettext_lazy(
                    "Định dạng nhận (kiểm tra theo nội dung): {kinds}; tối đa {count} tệp, "
                    "mỗi tệp tối đa {mb} MB."
                ),
                kinds=kinds(accept),
                count=max_files,
                mb=f"{max_mb:g}",
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        items = data if isinstance(data, list | tuple) else [data]
        if len(items) > self.max_files:
            raise ValidationError(
                _("Chỉ được tải lên tối đa %(count)s tệp một lần.") % {"count": self.max_files}
            )
        checked = []
        for item in items:
            uploaded = super().clean(item, initial)
            name = os.path.basename(str(getattr(uploaded, "name", "") or ""))
            try:
                check_size(uploaded, self.max_bytes)
                result = check_uploaded(uploaded, accept=self.accept)
            except UploadRejected as error:
                raise ValidationError(
                    _("Tệp “%(name)s”: %(reason)s")
                    % {"name": name, "reason": " ".join(error.messages)}
                ) from error
            if not extension_of(uploaded.name):
                uploaded.name = f"{name or 'tep'}.{result.extension}"
            checked.append(uploaded)
        return checked
