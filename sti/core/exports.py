"""The shared tabular export: rows of dicts and a column list → CSV, XLSX or JSON.

An app's `exports.py` holds its column lists and the functions that turn records into row
dicts; this module writes them. Every spreadsheet format is formula-safe: a text cell that a
spreadsheet would run as a formula ("CSV injection") is prefixed with an apostrophe in CSV
and written as a plain text cell in XLSX. Rows are consumed one at a time: CSV and JSON
stream, XLSX goes through a write-only workbook spooled to a temporary file.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

from sti.core.text import slugify

# A spreadsheet runs a cell starting with one of these as a formula, also after leading
# spaces or line breaks, and some read the full-width forms (＝ ＋ － ＠) as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
# Column widths are measured on the header and the first rows; wider text wraps.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60
SPOOL_BYTES = 8 * 1024 * 1024


def neutralize_cell(value):
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe (shown as text)."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def _runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text.lstrip(" \t\r\n").startswith(FORMULA_STARTS)


def restore_cell(value: str) -> str:
    """Undo `neutralize_cell`, so a sheet exported here reads back unchanged."""
    if value[:1] == "'" and _runs_as_formula(value[1:]):
        return value[1:]
    return value


def plain(value):
    """A cell value: None → "", dates → ISO text, Decimal → float, text in NFC (a stray
    decomposed string would not match a search in the spreadsheet); numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width: int | None = None  # fixed XLSX width; measured from the data when None


def columns_of(columns) -> list[ExportColumn]:
    """ExportColumns from ExportColumns, (key, header) pairs or bare keys."""
    out = []
    for column in columns:
        if isinstance(column, ExportColumn):
            out.append(column)
        elif isinstance(column, str):
            out.append(ExportColumn(column, column))
        else:
            out.append(ExportColumn(*column))
    return out


def _cells(columns: list[ExportColumn], row: dict) -> list:
    return [plain(row.get(column.key)) for column in columns]


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------
class _Echo:
    def write(self, value):
        return value


def csv_lines(columns, rows: Iterable[dict], *, bom: bool = True) -> Iterator[str]:
    """CSV text line by line: a BOM (so Excel reads UTF-8), the header, then the rows."""
    columns = columns_of(columns)
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow([neutralize_cell(column.header) for column in columns])
    for row in rows:
        yield writer.writerow([neutralize_cell(cell) for cell in _cells(columns, row)])


def to_csv(columns, rows: Iterable[dict]) -> str:
    return "".join(csv_lines(columns, rows))


def json_chunks(columns, rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array of objects keyed by column key, one object at a time."""
    columns = columns_of(columns)
    yield "["
    for index, row in enumerate(rows):
        item = {column.key: plain(row.get(column.key)) for column in columns}
        yield ("," if index else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def to_json(columns, rows: Iterable[dict]) -> str:
    return "".join(json_chunks(columns, rows))


def _width(value) -> int:
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_xlsx(columns, rows: Iterable[dict], target, *, sheet_title: str = "Dữ liệu") -> None:
    """Write an XLSX workbook to `target` (a path or a binary file object)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = columns_of(columns)
    rows = iter(rows)
    sample = [_cells(columns, row) for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    workbook = Workbook(write_only=True)
    # Excel refuses sheet titles over 31 characters or with []:*?/\
    title = "".join(ch for ch in sheet_title if ch not in "[]:*?/\\")[:31] or "Dữ liệu"
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns):
        width = column.width or min(
            MAX_WIDTH,
            max(MIN_WIDTH, _width(column.header) + 2, *(_width(r[index]) + 2 for r in sample)),
        )
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cells(values, header=False):
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
            if header:
                cell.font = bold
            elif isinstance(value, str) and len(value) > MAX_WIDTH:
                cell.alignment = wrap
            yield cell

    sheet.append(list(cells([column.header for column in columns], header=True)))
    for values in chain(sample, (_cells(columns, row) for row in rows)):
        sheet.append(list(cells(values)))
    workbook.save(target)


def to_xlsx(columns, rows: Iterable[dict], *, sheet_title: str = "Dữ liệu") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(columns, rows, buffer, sheet_title=sheet_title)
    return buffer.getvalue()


def render(columns, rows: Iterable[dict], fmt: str, *, sheet_title: str = "Dữ liệu"):
    """(content bytes, content type); for small exports and tests."""
    if fmt == "csv":
        return to_csv(columns, rows).encode("utf-8"), FORMATS["csv"]
    if fmt == "json":
        return to_json(columns, rows).encode("utf-8"), FORMATS["json"]
    if fmt == "xlsx":
        return to_xlsx(columns, rows, sheet_title=sheet_title), FORMATS["xlsx"]
    raise ValueError(fmt)


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------
def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII name and the UTF-8 name (RFC 6266)."""
    stem, dot, extension = filename.rpartition(".")
    ascii_name = f"{slugify(stem) or 'du-lieu'}{dot}{extension}" if dot else slugify(filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def export_response(
    columns,
    rows: Iterable[dict],
    fmt: str,
    stem: str,
    *,
    sheet_title: str = "Dữ liệu",
    stream: bool = False,
):
    """A download of the rows in `fmt` (csv, xlsx or json) named `<stem>.<fmt>`; 404 for any
    other format. With `stream`, CSV and JSON stream and XLSX is spooled to disk past a few
    megabytes; without it (exports capped by their callers) the body is built in memory."""
    if fmt not in FORMATS:
        raise Http404
    filename = f"{stem}.{fmt}"
    if not stream:
        content, content_type = render(columns, rows, fmt, sheet_title=sheet_title)
        response = HttpResponse(content, content_type=content_type)
    elif fmt == "xlsx":
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        write_xlsx(columns, rows, spool, sheet_title=sheet_title)
        spool.seek(0)
        response = FileResponse(spool, content_type=FORMATS["xlsx"])
    else:
        chunks = csv_lines(columns, rows) if fmt == "csv" else json_chunks(columns, rows)
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks), content_type=FORMATS[fmt]
        )
    response["Content-Disposition"] = content_disposition(filename)
    return response
