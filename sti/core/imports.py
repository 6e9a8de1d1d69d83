"""The shared spreadsheet import, generalised from the directory importers.

Every import runs in two steps. The upload is checked (size; for .xlsx its real content and
the size it expands to), staged on the platform's storage (`tmp/imports/<token>`, so that
any web host may take the confirmation) with the uploader's id, and every row is validated
by the app's importer, writing nothing; the preview lists the rows to write and every error
("Dòng 7: …"). On confirmation the staged file is validated again
(the database may have changed meanwhile) and, only if no row is wrong, the importer's
`apply` writes all rows in one transaction through the app's services, with an audit row.

An app subclasses `SpreadsheetImporter` in its `imports.py`: `columns` (the template
workbook and the header matching come from them), `parse_row` and `apply`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sti.core import files, uploads
from sti.core.audit import record
from sti.core.choices import AuditAction
from sti.core.exports import restore_cell
from sti.core.text import fold_lower, normalize

# Validation and the all-or-nothing write run inside the request. Measured on the shared
# 2-core test machine (load ~3): 3,000 directory rows validate in 3.9 s and are written in
# 4.7 s; confirming validates again, so 5,000 rows confirm in about 15 s, inside a 30-second
# web worker timeout. Larger lists are split into several files.
MAX_ROWS = 5000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 5 MB zip can inflate to gigabytes; a real sheet of a few thousand rows stays far below.
MAX_UNCOMPRESSED_BYTES = 80 * 1024 * 1024
# Uncompressed / compressed: beyond this a ZIP entry is treated as a bomb.
MAX_ZIP_RATIO = 200
MAX_ZIP_ENTRIES = 5000
STASH_LIFETIME_SECONDS = 24 * 3600
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "Dữ liệu"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class ImportRejected(ValueError):
    """The whole input is unusable (unreadable sheet, unsafe archive, too many rows)."""


class ArchiveTooLarge(ImportRejected):
    """The archive would expand past its limit (a ZIP bomb, or simply too much data)."""


# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------
def cell_text(value) -> str:
    """A cell as NFC text: whole floats lose their ".0", dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return normalize(str(value))


@lru_cache(maxsize=32)
def choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    """Folded Vietnamese label, English label or code → code."""
    lookup = {}
    for value, label in choices.choices:
        lookup[fold_lower(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                lookup[fold_lower(str(label))] = value
    return lookup


def choice_help(choices: type[TextChoices]) -> str:
    with translation.override("vi"):
        return "; ".join(f"{value} = {label}" for value, label in choices.choices)


YES = {"co", "x", "1", "yes", "true", "dung", "c"}
NO = {"khong", "0", "no", "false", "k", "sai"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def by_pk(objects) -> dict[str, object]:
    return {str(obj.pk): obj for obj in objects}


def split_list(raw: str) -> list[str]:
    """Codes or names separated by commas, semicolons or spaces."""
    return [part.strip().rstrip(".") for part in re.split(r"[,;\s]+", raw) if part.strip()]


def parse_date(raw: str, errors: list, key: str, label: str, formats=DATE_FORMATS) -> str:
    if not raw:
        return ""
    for pattern in formats:
        try:
            return datetime.strptime(raw, pattern).date().isoformat()
        except ValueError:
            continue
    errors.append(
        (
            key,
            gettext("%(column)s: “%(value)s” không phải ngày hợp lệ (dd/mm/yyyy).")
            % {"column": label, "value": raw},
        )
    )
    return ""


def parse_phone(raw: str) -> str:
    # A phone typed as a number loses its leading zero in Excel.
    if raw.isdigit() and len(raw) in (9, 10) and not raw.startswith("0"):
        return "0" + raw
    return raw


def parse_bool(raw: str, errors: list, key: str, label: str) -> bool | None:
    if not raw:
        return None
    folded = fold_lower(raw)
    if folded in YES:
        return True
    if folded in NO:
        return False
    errors.append(
        (
            key,
            gettext("%(column)s: ghi “Có” hoặc “Không”, không phải “%(value)s”.")
            % {"column": label, "value": raw},
        )
    )
    return None


# ---------------------------------------------------------------------------
# What an importer declares and what the preview shows
# ---------------------------------------------------------------------------
@dataclass
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""
    example: str = ""
    choices: type[TextChoices] | None = None
    width: int = 22

    @property
    def title(self) -> str:
        return self.header + (" *" if self.required else "")


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return gettext("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PreviewRow:
    row: int
    action: str
    label: str
    detail: str = ""
    changed: list[str] = field(default_factory=list)


@dataclass
class ParsedRow:
    """Every non-empty row as read, valid or not (for previews that list them all)."""

    number: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    records: list = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors and bool(self.records)

    @property
    def created(self) -> int:
        return sum(1 for record in self.records if getattr(record, "instance", None) is None)

    @property
    def updated(self) -> int:
        return len(self.records) - self.created

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})


# ---------------------------------------------------------------------------
# Upload checks
# ---------------------------------------------------------------------------
def check_size(uploaded, limit: int | None = None) -> None:
    limit = MAX_UPLOAD_BYTES if limit is None else limit
    if uploaded.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB."),
            params={
                "size": f"{uploaded.size / 1024 / 1024:.1f}",
                "limit": f"{limit / 1024 / 1024:g}",
            },
        )


def check_archive(
    source,
    *,
    max_entry_bytes: int | None = None,
    max_total_bytes: int | None = None,
    max_entries: int = MAX_ZIP_ENTRIES,
    max_ratio: int | None = MAX_ZIP_RATIO,
    verify: bool = False,
) -> set[str]:
    """NFC names of the files of a safe ZIP (`sti.core.uploads.check_zip`); raises
    ImportRejected for a broken archive, an absolute or `..` path, a symbolic link, too many
    entries, an oversized entry, a member failing its CRC (with `verify`; otherwise the
    member is refused when it is read), a total expansion past `max_total_bytes` or a
    compression ratio past `max_ratio` (a ZIP bomb)."""
    try:
        return uploads.check_zip(
            source,
            max_entry_bytes=max_entry_bytes,
            max_total_bytes=max_total_bytes,
            max_entries=max_entries,
            max_ratio=max_ratio,
            verify=verify,
        )
    except uploads.ArchiveTooLarge as error:
        raise ArchiveTooLarge(" ".join(error.messages)) from error
    except uploads.UploadRejected as error:
        raise ImportRejected(" ".join(error.messages)) from error


def check_upload(uploaded, *, limit: int | None = None) -> None:
    """Refuse anything that is not a real .xlsx of reasonable size, whatever its name: its
    content must be a whole workbook (`sti.core.uploads`: safe ZIP, every member's CRC,
    the workbook parts) that expands to at most MAX_UNCOMPRESSED_BYTES."""
    check_size(uploaded, limit)
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    not_xlsx = ValidationError(
        _(
            "Tệp không phải bảng tính Excel .xlsx (tệp .xls cũ, CSV hay PDF cần lưu lại dưới dạng .xlsx)."
        )
    )
    if head != b"PK\x03\x04":
        raise not_xlsx
    try:
        # Sheets of repeated cells compress very well: the total, not the ratio, is the limit.
        check_archive(uploaded, max_total_bytes=MAX_UNCOMPRESSED_BYTES, max_ratio=None)
        uploads.check_uploaded(uploaded, accept={uploads.XLSX})
    except ArchiveTooLarge as error:
        raise ValidationError(str(error)) from error
    except ImportRejected as error:
        raise not_xlsx from error
    except uploads.UploadRejected as error:
        raise ValidationError(
            [not_xlsx.message, *(m for m in error.messages if m not in not_xlsx.messages)]
        ) from error
    finally:
        uploaded.seek(0)


# ---------------------------------------------------------------------------
# Staging between the preview and the confirmation
# ---------------------------------------------------------------------------
# The staged files and their metadata are stored on the platform's storage (shared
# MEDIA_ROOT or the S3 bucket), so the confirmation may reach another web host than the
# preview. On a remote storage each host keeps a local copy of what it read (the readers
# need paths), refreshed when used and removed after LOCAL_COPY_SECONDS unused.
STASH_FOLDER = files.TRANSIENT + "imports/"
LOCAL_COPY_SECONDS = 3600


def _local_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(
    uploaded,
    *,
    user,
    kind: str,
    extra: dict | None = None,
    attachments: dict | None = None,
    suffix: str = ".xlsx",
) -> str:
    """Save the upload (and named `attachments`, such as a ZIP of full texts) for the
    confirmation step, on the platform's storage; returns its token."""
    _purge_old_stashes()
    token = uuid.uuid4().hex
    directory = _local_dir()
    remote = not files.is_local()
    names = {"": f"{token}{suffix}"}
    names.update({name: f"{token}-{name}.bin" for name in attachments or {}})
    for name, upload in {"": uploaded, **(attachments or {})}.items():
        local = directory / names[name]
        with open(local, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        files.put(STASH_FOLDER + names[name], local, move=False)
        if not remote:  # the stored file is the copy
            local.unlink()
    meta = {
        "user_id": user.pk,
        "kind": kind,
        "filename": normalize(uploaded.name)[:200],
        "created": time.time(),
        "files": names,
        **(extra or {}),
    }
    # Written last: a stash is there for a reader once its metadata is.
    files.put(STASH_FOLDER + f"{token}.json", json.dumps(meta).encode())
    return token


def _stash_meta(token: str) -> dict | None:
    name = STASH_FOLDER + f"{token}.json"
    if not _TOKEN.match(token or "") or not files.exists(name):
        return None
    try:
        return json.loads(b"".join(files.Stored(name).chunks()))
    except (FileNotFoundError, ValueError):
        return None


def _local_copy(filename: str) -> Path | None:
    """A path on this host holding the staged file: the stored file itself on local
    storage, else this host's copy (downloaded once); None when it is gone."""
    stored = files.Stored(STASH_FOLDER + filename)
    if stored.path is not None:
        return stored.path if stored.path.is_file() else None
    copy = _local_dir() / filename
    if copy.is_file():
        copy.touch()
        return copy
    if not stored.exists():
        return None
    partial = copy.with_name(f"{filename}.{uuid.uuid4().hex[:8]}.part")
    with files.local_copy(stored) as downloaded:
        shutil.copyfile(downloaded, partial)
    partial.replace(copy)
    return copy


def load_stash(token: str, *, user, kind: str) -> tuple[Path, dict] | None:
    """The staged file as a local path and its metadata (`meta["paths"]`: the attachments'
    paths), only for the user who uploaded it, on whichever web host."""
    meta = _stash_meta(token)
    if meta is None or meta.get("user_id") != user.pk or meta.get("kind") != kind:
        return None
    if time.time() - meta.get("created", 0) > STASH_LIFETIME_SECONDS:
        discard_stash(token)
        return None
    paths = {name: _local_copy(filename) for name, filename in meta.get("files", {}).items()}
    if not paths.get("") or not all(paths.values()):
        return None
    meta["paths"] = {name: str(path) for name, path in paths.items() if name}
    return paths[""], meta


@contextmanager
def confirming(token: str, *, user, kind: str) -> Iterator[tuple[Path, dict] | None]:
    """The staged upload for its confirmation (as `load_stash`; None when it is gone),
    inside a transaction that the uploader's other confirmations wait for: a double click,
    two tabs or two web hosts confirming one stash import it once, because the writer
    discards the stash (`discard_stash`) inside the block, before its rows are committed,
    and the next one then finds nothing. The importer's own transaction nests in it."""
    with transaction.atomic():
        # Held to the commit: the uploader's row, locked (PostgreSQL); SQLite's immediate
        # transactions hold the database's write lock from their start anyway.
        users = get_user_model().objects.select_for_update()
        list(users.filter(pk=user.pk).values_list("pk"))
        yield load_stash(token, user=user, kind=kind)


def discard_stash(token: str) -> None:
    """Remove a staged upload from the storage and this host's copies (another host's
    copies go when unused for LOCAL_COPY_SECONDS)."""
    if not _TOKEN.match(token or ""):
        return
    meta = _stash_meta(token) or {}
    for filename in meta.get("files", {}).values():
        if filename.startswith(token) and "/" not in filename:
            files.delete(STASH_FOLDER + filename)
    files.delete(STASH_FOLDER + f"{token}.json")
    for path in _local_dir().glob(f"{token}*"):
        path.unlink(missing_ok=True)


def accept_upload(form, field: str, *, user, kind: str) -> str | None:
    """Check a bound form's .xlsx upload and stage it: its token, or None with the reason
    added to the form."""
    uploaded = form.cleaned_data[field]
    try:
        check_upload(uploaded)
    except ValidationError as error:
        form.add_error(field, error)
        return None
    return stash_upload(uploaded, user=user, kind=kind)


def template_response(importer: SpreadsheetImporter):
    """The importer's template workbook as a download."""
    from django.http import HttpResponse

    response = HttpResponse(importer.template_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{importer.slug}.xlsx"'
    return response


def _purge_old_stashes() -> None:
    """Remove stashes past their lifetime (stored files, whoever staged them) and this
    host's copies unused for LOCAL_COPY_SECONDS."""
    now = time.time()
    for listed in files.walk(prefix=STASH_FOLDER):
        if listed.mtime < now - STASH_LIFETIME_SECONDS:
            files.delete(listed.name)
    for path in _local_dir().iterdir():
        try:
            if path.stat().st_mtime < now - LOCAL_COPY_SECONDS:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # removed by another process meanwhile
            continue


# ---------------------------------------------------------------------------
# Reading a table: .xlsx (the "Dữ liệu" sheet, else the first) or CSV
# ---------------------------------------------------------------------------
def _too_many(max_rows: int) -> ImportRejected:
    return ImportRejected(
        gettext("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp.") % {"max": max_rows}
    )


def read_table(source, *, max_rows: int = MAX_ROWS) -> tuple[list[str], Iterator]:
    """(header cells, iterator of (row number, cell texts)) of a workbook or CSV.

    `source` is a path, a file object or bytes; bytes not starting like a ZIP are read as CSV
    (UTF-8, with or without a BOM, else Windows-1258), its delimiter sniffed. Empty rows are
    skipped; past `max_rows` data rows the iterator raises ImportRejected.
    """
    if isinstance(source, bytes) and source[:4] != b"PK\x03\x04":
        header, rows = _read_csv(source)
    else:
        source = io.BytesIO(source) if isinstance(source, bytes) else source
        # Checked again here, whoever staged the file: openpyxl would inflate a bomb in memory.
        try:
            check_archive(source, max_total_bytes=MAX_UNCOMPRESSED_BYTES, max_ratio=None)
        except ArchiveTooLarge:
            raise
        except ImportRejected as error:
            raise ImportRejected(_unreadable()) from error
        if hasattr(source, "seek"):
            source.seek(0)
        header, rows = _read_xlsx(source)
    return header, _limited(rows, max_rows)


def _limited(rows, max_rows: int) -> Iterator:
    count = 0
    for number, values in rows:
        if not any(values):
            continue
        count += 1
        if count > max_rows:
            raise _too_many(max_rows)
        yield number, values


def _unreadable() -> str:
    return gettext("Không đọc được tệp Excel; tệp có thể bị hỏng.")


def _cell(value) -> str:
    """A cell's text; a formula this platform's exports neutralised reads back as written."""
    return cell_text(restore_cell(value) if isinstance(value, str) else value)


def _read_xlsx(source):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
        sheet = (
            workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        header = [cell_text(value) for value in next(rows, None) or ()]
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise ImportRejected(_unreadable()) from error

    def body():
        try:
            for number, values in enumerate(rows, start=2):
                yield number, [_cell(value) for value in values]
        finally:
            workbook.close()

    return header, body()


def _read_csv(data: bytes):
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected(gettext("Không đọc được bảng: hãy lưu CSV với mã UTF-8."))
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect=dialect)
    header = [normalize(cell) for cell in next(reader, [])]
    rows = ((number, [_cell(cell) for cell in values]) for number, values in enumerate(reader, 2))
    return header, rows


# ---------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------
class SpreadsheetImporter:
    """One kind of record imported from a sheet; subclasses declare columns and rows."""

    kind: str
    slug: str = ""
    title: str = ""
    columns: list[Column] = []
    max_rows: int = MAX_ROWS
    # The guide sheet lists the current S&T field codes, for importers with a "Lĩnh vực" column.
    lists_fields_of_science: bool = True

    def __init__(self):
        from sti.core.models import FieldOfScience

        self.fields_by_code = {f.code: f for f in FieldOfScience.objects.current()}
        # Objects forms validate choices against, loaded once per file (`prepare`).
        self.known = {"fields": by_pk(self.fields_by_code.values())}

    # -- template ----------------------------------------------------------
    def template_bytes(self) -> bytes:
        """An empty workbook: the header row (required columns marked *), drop-down lists
        for coded columns, and a guide sheet saying how to fill in each column."""
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import Font, PatternFill
        from openpyxl.worksheet.datavalidation import DataValidation

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = DATA_SHEET
        lists = workbook.create_sheet("Danh mục")
        guide = workbook.create_sheet("Hướng dẫn")
        header_fill = PatternFill("solid", fgColor="0B4F8A")
        list_column = 0
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.title)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = header_fill
            if column.note:
                cell.comment = Comment(str(column.note), "STI")
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = column.width
            if column.choices is None:
                continue
            list_column += 1
            with translation.override("vi"):
                labels = [str(label) for _value, label in column.choices.choices]
            lists.cell(row=1, column=list_column, value=column.header).font = Font(bold=True)
            for offset, label in enumerate(labels, start=2):
                lists.cell(row=offset, column=list_column, value=label)
            list_letter = lists.cell(row=1, column=list_column).column_letter
            validation = DataValidation(
                type="list",
                formula1=f"='Danh mục'!${list_letter}$2:${list_letter}${len(labels) + 1}",
                allow_blank=True,
                errorStyle="warning",
            )
            validation.error = str(_("Giá trị không có trong danh mục."))
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{self.max_rows + 1}")
        sheet.freeze_panes = "A2"
        self._write_guide(guide, Font)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def _write_guide(self, guide, Font) -> None:
        guide.column_dimensions["A"].width = 34
        guide.column_dimensions["B"].width = 90
        guide.column_dimensions["C"].width = 40
        guide.append([str(self.title)])
        guide["A1"].font = Font(bold=True, size=13)
        guide.append(
            [
                str(
                    _(
                        "Nhập mỗi dòng một bản ghi vào trang “Dữ liệu”, từ dòng 2. Cột có dấu * là bắt buộc. "
                        "Mọi dòng phải hợp lệ thì tệp mới được nhập."
                    )
                )
            ]
        )
        guide.append([])
        guide.append([str(_("Cột")), str(_("Cách ghi")), str(_("Ví dụ"))])
        for cell in guide[4]:
            cell.font = Font(bold=True)
        for column in self.columns:
            note = str(column.note)
            if column.choices is not None:
                note = (note + " " if note else "") + choice_help(column.choices)
            guide.append([column.title, note, column.example])
        if self.lists_fields_of_science:
            guide.append([])
            guide.append([str(_("Mã lĩnh vực KH&CN hiện hành")), ""])
            for code, item in sorted(self.fields_by_code.items()):
                guide.append([code, item.name])

    # -- parsing -------------------------------------------------------------
    def parse(self, source) -> ImportResult:
        """Validate every row of a sheet (a path, a file object or bytes); writes nothing."""
        result = ImportResult()
        try:
            header, rows = read_table(source, max_rows=self.max_rows)
            positions = self.header_positions(header, result)
            if result.file_errors:
                return result
            self.prepare()
            for number, values in rows:
                row = {
                    key: values[index] if index < len(values) else ""
                    for key, index in positions.items()
                }
                self.parse_row(number, row, result)
        except ImportRejected as error:
            result.file_errors.append(str(error))
            return result
        if not result.records and not result.errors and not result.file_errors:
            result.file_errors.append(gettext("Tệp không có dòng dữ liệu nào."))
        return result

    def header_positions(self, header, result: ImportResult) -> dict[str, int]:
        """Column key → index; a header cell may be the column's header (with or without
        its "*") or its key, in any case and with or without accents."""
        by_header = {fold_lower(column.header): column for column in self.columns}
        by_header.update({fold_lower(column.key): column for column in self.columns})
        positions = {}
        for index, value in enumerate(header):
            column = by_header.get(fold_lower(cell_text(value).rstrip("*").strip()))
            if column is not None and column.key not in positions:
                positions[column.key] = index
        missing = [c.header for c in self.columns if c.required and c.key not in positions]
        if missing:
            result.file_errors.append(
                gettext("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.")
                % {"columns": ", ".join(missing)}
            )
        return positions

    def add_row(self, result: ImportResult, number: int, values: dict, errors: list) -> bool:
        """Record a parsed row and its errors (messages or (key, message) pairs); True if valid."""
        messages = [error[1] if isinstance(error, tuple) else str(error) for error in errors]
        result.rows.append(ParsedRow(number, values, messages))
        result.errors.extend(RowError(number, message) for message in messages)
        return not messages

    # -- helpers for subclasses ----------------------------------------------
    def convert_choice(self, column: Column, raw: str, errors: list) -> str:
        if not raw:
            return ""
        value = choice_lookup(column.choices).get(fold_lower(raw))
        if value is None:
            errors.append(
                (
                    column.key,
                    gettext("%(column)s: “%(value)s” không có trong danh mục (%(allowed)s).")
                    % {
                        "column": column.header,
                        "value": raw,
                        "allowed": choice_help(column.choices),
                    },
                )
            )
            return ""
        return value

    def convert_fields(self, raw: str, errors: list) -> list[int]:
        pks = []
        for code in split_list(raw):
            item = self.fields_by_code.get(code)
            if item is None:
                errors.append(
                    (
                        "fields",
                        gettext("Lĩnh vực: mã “%(code)s” không có trong danh mục hiện hành.")
                        % {"code": code},
                    )
                )
            else:
                pks.append(item.pk)
        return pks

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    @classmethod
    def audit_import(cls, actor, instance, count: int, filename: str = "") -> None:
        """The one audit row of an import, on its first record (each record has its own)."""
        record(
            actor,
            AuditAction.IMPORT,
            instance,
            {"count": count, "kind": cls.kind, "file": filename},
            note=str(cls.title),
        )

    # -- what subclasses write ---------------------------------------------
    def prepare(self) -> None:
        """Load what the rows are matched against (once per file, not once per row)."""

    def parse_row(self, number: int, row: dict, result: ImportResult) -> None:
        raise NotImplementedError

    def apply(self, actor, result: ImportResult, *, filename: str = "") -> dict:
        """Write every record of a valid result in one transaction, through the services."""
        raise NotImplementedError
