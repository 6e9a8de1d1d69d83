"""Batch import: a CSV/Excel sheet of metadata plus a ZIP of files, or MARC21 records.

Two steps: `plan_*` reads and checks everything and returns a preview with row-level errors,
writing nothing; `run_import` writes all rows in one transaction, or none. Files from the ZIP
are checked like any upload (content type, size); a ZIP entry with an absolute path or `..`
rejects the whole archive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sti.core.choices import AuditAction
from sti.core.models import FieldOfScience
from sti.core.text import normalize
from sti.library import services, storage
from sti.library.choices import LANGUAGES, AccessLevel, SourceType
from sti.library.exports import CSV_COLUMNS, restore_cell
from sti.library.models import Collection, Document

MAX_ROWS = 20_000
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_RATIO = 200  # uncompressed / compressed: beyond this an entry is treated as a ZIP bomb


class ImportRejected(ValueError):
    """The whole input is unusable (unreadable sheet, unsafe ZIP)."""


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


@dataclass
class Plan:
    rows: list[Row]
    zip_names: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[str]:
        return [f"{_('Dòng')} {row.number}: {error}" for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _split(value) -> list[str]:
    return [
        normalize(part)
        for part in str(value or "").replace("\n", ";").split(";")
        if normalize(part)
    ]


# ---------------------------------------------------------------------------
# Reading inputs
# ---------------------------------------------------------------------------
def read_sheet(data: bytes, name: str) -> list[dict]:
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected(_("Không đọc được bảng: hãy lưu CSV với mã UTF-8."))
    sample = text[:4096]
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames or "title" not in [normalize(h).lower() for h in reader.fieldnames]:
        raise ImportRejected(
            _("Bảng phải có dòng tiêu đề với ít nhất cột “title”. Các cột: %(cols)s")
            % {"cols": ", ".join(CSV_COLUMNS)}
        )
    rows = []
    for row in reader:
        rows.append(
            {normalize(key).lower(): restore_cell(value or "") for key, value in row.items() if key}
        )
        if len(rows) > MAX_ROWS:
            raise ImportRejected(_("Quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
    return rows


def _read_xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportRejected(_("Không đọc được tệp Excel.")) from error
    rows = sheet.iter_rows(values_only=True)
    header = [normalize(str(h or "")).lower() for h in next(rows, [])]
    if "title" not in header:
        raise ImportRejected(_("Bảng phải có dòng tiêu đề với ít nhất cột “title”."))
    out = []
    for values in rows:
        if not any(v not in (None, "") for v in values):
            continue
        out.append(
            {
                header[i]: restore_cell("" if v is None else str(v))
                for i, v in enumerate(values)
                if i < len(header) and header[i]
            }
        )
        if len(out) > MAX_ROWS:
            raise ImportRejected(_("Quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
    return out


def check_zip(path) -> set[str]:
    """Entry names of a safe ZIP; raises ImportRejected for traversal, links, bombs, oversize."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ImportRejected(_("Tệp ZIP hỏng hoặc không phải ZIP.")) from error
    names: set[str] = set()
    limit = storage.max_upload_bytes()
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ImportRejected(_("ZIP có quá nhiều tệp."))
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise ImportRejected(
                    _("ZIP chứa đường dẫn không an toàn: “%(name)s”.") % {"name": name}
                )
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise ImportRejected(
                    _("ZIP chứa liên kết tượng trưng: “%(name)s”.") % {"name": name}
                )
            if info.is_dir():
                continue
            if info.file_size > limit:
                raise ImportRejected(
                    _("Tệp “%(name)s” trong ZIP vượt giới hạn dung lượng.") % {"name": name}
                )
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                raise ImportRejected(
                    _("Tệp “%(name)s” trong ZIP có tỷ lệ nén bất thường.") % {"name": name}
                )
            names.add(normalize(name))
    return names


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


def build_row(number: int, raw: dict, zip_names: set[str] | None) -> Row:
    get = lambda key: normalize(raw.get(key, ""))  # noqa: E731
    row = Row(number=number, data={})
    data = row.data
    data["title"] = get("title")
    if not data["title"]:
        row.errors.append(_("Thiếu nhan đề (title)."))
    for name in (
        "title_alternative",
        "abstract",
        "publisher",
        "extent",
        "isbn",
        "issn",
        "doi",
        "call_number",
        "source",
        "relation",
        "coverage",
        "rights",
    ):
        data[name] = get(name)
    data["keywords"] = "; ".join(_split(raw.get("keywords")))
    year = get("year")
    if year:
        if year.isdigit() and 1000 <= int(year) <= dt.date.today().year + 1:
            data["year"] = int(year)
        else:
            row.errors.append(_("Năm “%(v)s” không hợp lệ.") % {"v": year})
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
    row.files = _split(raw.get("files"))
    for name in row.files:
        if zip_names is None:
            row.errors.append(_("Dòng có tệp “%(v)s” nhưng chưa tải lên tệp ZIP.") % {"v": name})
        elif name not in zip_names:
            row.errors.append(_("Không thấy tệp “%(v)s” trong ZIP.") % {"v": name})
    return row


def plan_sheet(sheet: bytes, sheet_name: str, zip_path=None) -> Plan:
    zip_names = check_zip(zip_path) if zip_path else None
    rows = read_sheet(sheet, sheet_name)
    plan = Plan(
        rows=[build_row(index, raw, zip_names) for index, raw in enumerate(rows, start=2)],
        zip_names=zip_names or set(),
    )
    if not plan.rows:
        raise ImportRejected(_("Bảng không có dòng dữ liệu nào."))
    if zip_path:
        _check_zip_files(plan, zip_path)
    return plan


def _check_zip_files(plan: Plan, zip_path) -> None:
    """Type-check each referenced file now, so the preview shows a bad file on its row."""
    with zipfile.ZipFile(zip_path) as archive:
        members = {normalize(info.filename): info for info in archive.infolist()}
        for row in plan.rows:
            for name in row.files:
                info = members.get(name)
                if info is None:
                    continue
                try:
                    with archive.open(info) as handle:
                        storage.spool(handle, name, info.file_size).discard()
                except storage.UploadRejected as error:
                    row.errors.append(f"{name}: {' '.join(error.messages)}")


def plan_marc(data: bytes) -> Plan:
    from sti.library import marc

    try:
        records = marc.read_records(data)
    except ValueError as error:
        raise ImportRejected(str(error)) from error
    rows = [
        build_row(index, marc.record_to_row(record), None)
        for index, record in enumerate(records, start=1)
    ]
    return Plan(rows=rows)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------
def run_import(
    actor, plan: Plan, zip_path=None, *, collection_id: int | None = None
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
            for row in plan.rows:
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
                    with archive.open(member) as handle:
                        spooled = storage.spool(handle, PurePosixPath(name).name, member.file_size)
                    if not storage.blob_path(spooled.sha256).exists():
                        new_blobs.append(spooled.sha256)
                    services.attach_spooled(actor, document, spooled)
                created.append(document)
            from sti.core import audit

            if created:
                audit.record(
                    actor,
                    AuditAction.IMPORT,
                    created[0],
                    {"count": len(created)},
                    note=_("Nhập theo lô"),
                )
    except storage.UploadRejected as error:
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
