"""Batch import: a CSV/Excel sheet of metadata plus a ZIP of files, or MARC21 records.

Two steps: `plan_*` reads and checks everything and returns a preview with row-level errors,
writing nothing; `run_import` writes all rows in one transaction, or none. Files from the ZIP
are checked like any upload (content type, size); a ZIP entry with an absolute path or `..`
rejects the whole archive.

Built on the shared importer (`sti.core.imports`): `DocumentImporter` declares the columns
(the template workbook and the header matching come from them; the keys are the CSV export's
columns, so an export reads back unchanged), the reading of CSV/XLSX, the ZIP checks, the
staging between preview and confirmation and the "Dòng N: …" errors are shared.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sti.core.imports import (
    Column,
    ImportRejected,
    ImportResult,
    RowError,
    SpreadsheetImporter,
    check_archive,
)
from sti.core.models import FieldOfScience
from sti.core.text import normalize
from sti.core.validators import validate_year
from sti.library import services, storage
from sti.library.choices import LANGUAGES, AccessLevel, SourceType
from sti.library.models import Collection, Document

# Columns copied as plain text (the others are parsed, split or looked up).
TEXT_COLUMNS = (
    "title_alternative abstract publisher extent isbn issn doi call_number source relation "
    "coverage rights"
).split()
MAX_ROWS = 20_000
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_RATIO = 200  # uncompressed / compressed: beyond this an entry is treated as a ZIP bomb

__all__ = [
    "DocumentImporter",
    "ImportRejected",
    "Row",
    "build_row",
    "check_zip",
    "plan_marc",
    "plan_sheet",
    "run_import",
]


@dataclass
class Row:
    number: int
    data: dict
    creators: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    field_ids: list[int] = field(default_factory=list)
    collection_ids: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _split(value) -> list[str]:
    return [
        normalize(part)
        for part in str(value or "").replace("\n", ";").split(";")
        if normalize(part)
    ]


# ---------------------------------------------------------------------------
# Reading inputs, on the shared importer
# ---------------------------------------------------------------------------
class DocumentImporter(SpreadsheetImporter):
    """A sheet of metadata, one document a row. Columns are named as in the CSV export (so
    an export reads back unchanged) or by their Vietnamese headers (the template)."""

    kind = "document"
    slug = "tai-lieu"
    title = gettext_lazy("Nhập theo lô: bảng dữ liệu + tệp ZIP")
    max_rows = MAX_ROWS
    columns = [
        Column("title", "Nhan đề", required=True, width=40),
        Column("title_alternative", "Nhan đề khác", width=30),
        Column("creators", "Tác giả", note=gettext_lazy("Cách nhau bằng dấu chấm phẩy."), width=30),
        Column("contributors", "Người đóng góp", width=24),
        Column("abstract", "Tóm tắt", width=40),
        Column("keywords", "Từ khóa", width=24),
        Column("fields", "Lĩnh vực", note=gettext_lazy("Mã lĩnh vực KH&CN."), width=12),
        Column("publisher", "Nhà xuất bản", width=24),
        Column("year", "Năm", width=8),
        Column("issued", "Ngày xuất bản", note="YYYY-MM-DD", width=14),
        Column("source_type", "Loại nguồn tin", choices=SourceType, width=14),
        Column("extent", "Số trang", width=10),
        Column("isbn", "ISBN", width=16),
        Column("issn", "ISSN", width=12),
        Column("doi", "DOI", width=20),
        Column("call_number", "Ký hiệu xếp giá", width=14),
        Column("source", "Nguồn", width=24),
        Column("language", "Ngôn ngữ", note="vie, eng, fra…", width=10),
        Column("relation", "Liên kết", width=20),
        Column("coverage", "Phạm vi", width=20),
        Column("rights", "Bản quyền", width=20),
        Column("access", "Mức truy cập", choices=AccessLevel, width=14),
        Column("embargo_until", "Hạn chế đến ngày", note="YYYY-MM-DD", width=14),
        Column("collections", "Bộ sưu tập", width=20),
        Column("files", "Tệp", note=gettext_lazy("Tên tệp trong ZIP."), width=24),
    ]

    def __init__(self, zip_names: set[str] | None = None):
        super().__init__()
        self.zip_names = zip_names

    def parse_row(self, number: int, row: dict, result: ImportResult) -> None:
        parsed = build_row(number, row, self.zip_names)
        self.add_row(result, number, parsed.data, parsed.errors)
        result.rows[-1] = parsed  # the preview shows creators and files too
        if not parsed.errors:
            result.records.append(parsed)

    def apply(self, actor, result: ImportResult, *, filename: str = "", **kwargs) -> dict:
        return {"created": len(run_import(actor, result, **kwargs))}


def check_zip(path) -> set[str]:
    """Entry names of a safe ZIP; raises ImportRejected for traversal, links, bombs, oversize."""
    return check_archive(
        path,
        max_entry_bytes=storage.max_upload_bytes(),
        max_entries=MAX_ZIP_ENTRIES,
        max_ratio=MAX_ZIP_RATIO,
    )


# ---------------------------------------------------------------------------
# Checking rows
# ---------------------------------------------------------------------------
def _date(value: str, row: Row, label: str):
    value = normalize(value)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        row.errors.append(
            _("%(label)s “%(value)s” không phải ngày dạng YYYY-MM-DD.")
            % {"label": label, "value": value}
        )
        return None


def _field_messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "message_dict"):
        return list(error.messages)
    out = []
    for name, messages in error.message_dict.items():
        try:
            label = str(Document._meta.get_field(name).verbose_name)
        except Exception:  # a non-field error
            label = ""
        out += [f"{label}: {message}" if label else message for message in messages]
    return out


def build_row(number: int, raw: dict, zip_names: set[str] | None) -> Row:
    get = lambda key: normalize(raw.get(key, ""))  # noqa: E731
    row = Row(number=number, data={})
    data = row.data
    data["title"] = get("title")
    if not data["title"]:
        row.errors.append(_("Thiếu nhan đề (title)."))
    for name in TEXT_COLUMNS:
        data[name] = get(name)
    data["keywords"] = "; ".join(_split(raw.get("keywords")))
    year = get("year")
    if year:
        try:
            if not year.isdigit():
                raise ValidationError(_("Năm “%(v)s” không hợp lệ.") % {"v": year})
            validate_year(int(year))
            data["year"] = int(year)
        except ValidationError as error:
            row.errors.extend(error.messages)
    data["issued"] = _date(raw.get("issued", ""), row, _("Ngày xuất bản"))
    source_type = get("source_type") or SourceType.REPORT
    if source_type not in SourceType.values:
        row.errors.append(
            _("Loại nguồn tin “%(v)s” không hợp lệ (%(ok)s).")
            % {"v": source_type, "ok": ", ".join(SourceType.values)}
        )
    data["source_type"] = source_type
    language = get("language") or "vie"
    if language not in dict(LANGUAGES):
        row.errors.append(_("Ngôn ngữ “%(v)s” không hợp lệ.") % {"v": language})
    data["language"] = language
    access = get("access") or AccessLevel.PUBLIC
    if access not in AccessLevel.values:
        row.errors.append(_("Mức truy cập “%(v)s” không hợp lệ.") % {"v": access})
    data["access"] = access
    data["embargo_until"] = _date(raw.get("embargo_until", ""), row, _("Hạn chế đến ngày"))
    if access == AccessLevel.EMBARGOED and not data["embargo_until"]:
        row.errors.append(_("Tài liệu hạn chế cần ngày hết hạn chế (embargo_until)."))
    row.creators = _split(raw.get("creators"))
    row.contributors = _split(raw.get("contributors"))
    codes = _split(raw.get("fields"))
    if codes:
        found = dict(
            FieldOfScience.objects.current().filter(code__in=codes).values_list("code", "pk")
        )
        for code in codes:
            if code in found:
                row.field_ids.append(found[code])
            else:
                row.errors.append(
                    _("Mã lĩnh vực “%(v)s” không có trong danh mục hiện hành.") % {"v": code}
                )
    slugs = _split(raw.get("collections"))
    if slugs:
        found = dict(Collection.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        for slug in slugs:
            if slug in found:
                row.collection_ids.append(found[slug])
            else:
                row.errors.append(_("Không có bộ sưu tập “%(v)s”.") % {"v": slug})
    if not row.errors:
        try:
            services.check_document_data(data)
        except ValidationError as error:
            row.errors.extend(_field_messages(error))
    row.files = _split(raw.get("files"))
    for name in row.files:
        if zip_names is None:
            row.errors.append(_("Dòng có tệp “%(v)s” nhưng chưa tải lên tệp ZIP.") % {"v": name})
        elif name not in zip_names:
            row.errors.append(_("Không thấy tệp “%(v)s” trong ZIP.") % {"v": name})
    return row


def plan_sheet(sheet: bytes, sheet_name: str, zip_path=None) -> ImportResult:
    """Read and check every row (and every file it names in the ZIP); writes nothing."""
    zip_names = check_zip(zip_path) if zip_path else None
    plan = DocumentImporter(zip_names).parse(sheet)
    if plan.file_errors:
        raise ImportRejected(" ".join(str(error) for error in plan.file_errors))
    if zip_path:
        _check_zip_files(plan, zip_path)
    return plan


def _check_zip_files(plan: ImportResult, zip_path) -> None:
    """Type-check each referenced file now, so the preview shows a bad file on its row."""
    with zipfile.ZipFile(zip_path) as archive:
        members = {normalize(info.filename): info for info in archive.infolist()}
        for row in plan.rows:
            for name in row.files:
                info = members.get(name)
                if info is None:
                    continue
                try:
                    with _member(archive, info) as handle:
                        storage.spool(handle, name, info.file_size).discard()
                except storage.UploadRejected as error:
                    message = f"{name}: {' '.join(error.messages)}"
                    row.errors.append(message)
                    plan.errors.append(RowError(row.number, message))
                    if row in plan.records:
                        plan.records.remove(row)


@contextlib.contextmanager
def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """An open ZIP member; one whose header or stream is broken is an UploadRejected."""
    try:
        handle = archive.open(info)
    except Exception as error:  # BadZipFile, NotImplementedError (method), RuntimeError…
        raise storage.UploadRejected(
            _("Tệp “%(name)s” trong ZIP bị hỏng (không mở được).")
            % {"name": normalize(info.filename)}
        ) from error
    with handle:
        yield handle


def plan_marc(data: bytes) -> ImportResult:
    from sti.library import marc

    try:
        records = marc.read_records(data)
    except ValueError as error:
        raise ImportRejected(str(error)) from error
    importer, plan = DocumentImporter(), ImportResult()
    for index, record in enumerate(records, start=1):
        importer.parse_row(index, marc.record_to_row(record), plan)
    return plan


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------
def run_import(
    actor, plan: ImportResult, zip_path=None, *, collection_id: int | None = None
) -> list[Document]:
    """Create every row's document and files in one transaction; on any error, nothing stays."""
    if not (actor and actor.is_authenticated and actor.is_editor):
        raise PermissionDenied
    if not plan.ok:
        raise ImportRejected(_("Còn lỗi trong dữ liệu: hãy sửa và tải lên lại."))
    new_blobs: list[str] = []
    created: list[Document] = []
    archive = zipfile.ZipFile(zip_path) if zip_path else None
    try:
        with transaction.atomic():
            for row in plan.records:
                collections = list(row.collection_ids) + ([collection_id] if collection_id else [])
                document = services.create_document(
                    actor,
                    row.data,
                    creators=row.creators,
                    contributors=row.contributors,
                    fields=row.field_ids,
                    collections=collections,
                    note=_("Nhập theo lô"),
                )
                for name in row.files:
                    member = next(
                        info for info in archive.infolist() if normalize(info.filename) == name
                    )
                    with _member(archive, member) as handle:
                        spooled = storage.spool(handle, PurePosixPath(name).name, member.file_size)
                    if not storage.blob(spooled.sha256).exists():
                        new_blobs.append(spooled.sha256)
                    services.attach_spooled(actor, document, spooled)
                created.append(document)
            if created:
                DocumentImporter.audit_import(actor, created[0], len(created))
    except (storage.UploadRejected, ValidationError) as error:
        _forget(new_blobs)
        raise ImportRejected(
            _("Dòng %(n)s: %(msg)s") % {"n": row.number, "msg": " ".join(error.messages)}
        ) from error
    except BaseException:
        _forget(new_blobs)
        raise
    finally:
        if archive:
            archive.close()
    return created


def _forget(shas: list[str]) -> None:
    for sha in shas:
        storage.remove_blob_if_unused(sha)
