"""The Excel workbook of a submission, generated from the form definition, and reading it
back.

The sheet repeats the paper layout: per section a header row (A: chỉ tiêu, B: mã số, then the
columns) and one row per indicator; "X" cells (grey) belong to no cell of the form. A hidden
row above each header carries the column keys, and a hidden sheet names the form, the
organization and the period, so an upload is read by keys, not by positions a user may have
shifted, and a workbook of another form or organization is refused. Values read back go
through exactly the parsing and validation of the online form (`services.check_values`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from sti.core import imports
from sti.core.exports import neutralize_cell, restore_cell
from sti.stats.choices import ValueKind
from sti.stats.layout import FormLayout
from sti.stats.models import Submission, cell_key

META_SHEET = "_sti"
KEYS_MARK = "#keys"
X = "X"


def sheet_title(form) -> str:
    return form.code.replace("/", "-")[:31]


def _value(cell, text: str):
    if text == "":
        return None
    if cell.indicator.kind == ValueKind.INTEGER:
        return int(text)
    if cell.indicator.kind == ValueKind.NUMBER:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return neutralize_cell(text)


def build_workbook(submission: Submission, grid: FormLayout, values: dict | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    values = submission.values if values is None else values
    form = grid.form
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(form)
    header_fill = PatternFill("solid", fgColor="0B4F8A")
    grey = PatternFill("solid", fgColor="D9D9D9")
    with translation.override("vi"):
        sheet.append([f"{_('Biểu')} {form.code}: {form.name}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{_('Đơn vị báo cáo')}: {submission.organization.name}"])
        sheet.append(
            [
                f"{_('Năm báo cáo')}: {submission.period.year}. {_('Hạn nộp')}: "
                f"{submission.period.deadline:%d/%m/%Y}. {_('Đơn vị tính')}: {form.unit}"
            ]
        )
        sheet.append([_("Ghi số vào các ô trắng; ô “X” không ghi. Không đổi mã số ở cột B.")])
        width = 2
        for section in grid.sections:
            sheet.append([])
            sheet.append([section.section.name])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append([KEYS_MARK, ""] + [c.option_key or "total" for c in section.columns])
            sheet.row_dimensions[sheet.max_row].hidden = True
            sheet.append([_("Chỉ tiêu"), _("Mã số")] + [c.label for c in section.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = header_fill
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            width = max(width, 2 + len(section.columns))
            for row in section.rows:
                line = ["    " * row.indicator.indent + row.indicator.name, row.indicator.code]
                for cell in row.cells:
                    line.append(X if cell is None else _value(cell, values.get(cell.key, "")))
                sheet.append(line)
                for index, cell in enumerate(row.cells, start=3):
                    if cell is None:
                        sheet.cell(row=sheet.max_row, column=index).fill = grey
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 9
        for index in range(3, width + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 13
        sheet.freeze_panes = "C1"
        meta = workbook.create_sheet(META_SHEET)
        meta.append(["form", form.code])
        meta.append(["regime", form.regime.code])
        meta.append(["organization", submission.organization_id])
        meta.append(["year", submission.period.year])
        meta.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ReadResult:
    raw: dict = field(default_factory=dict)  # cell key → value as read
    addresses: dict = field(default_factory=dict)  # cell key → "D12"
    file_errors: list = field(default_factory=list)


def read_workbook(source, submission: Submission, grid: FormLayout) -> ReadResult:
    """The values of a filled workbook by cell key; file errors when it is not the workbook of
    this submission's form and organization."""
    from openpyxl import load_workbook

    result = ReadResult()
    try:
        imports.check_archive(
            source, max_total_bytes=imports.MAX_UNCOMPRESSED_BYTES, max_ratio=None
        )
        if hasattr(source, "seek"):
            source.seek(0)
        workbook = load_workbook(source, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds of errors on damaged files
        result.file_errors.append(_("Không đọc được tệp Excel; tệp có thể bị hỏng."))
        return result
    meta = {}
    if META_SHEET in workbook.sheetnames:
        meta = {str(r[0]): r[1] for r in workbook[META_SHEET].iter_rows(values_only=True) if r[0]}
    if (
        meta.get("form") != grid.form.code
        or str(meta.get("organization")) != str(submission.organization_id)
        or str(meta.get("year")) != str(submission.period.year)
    ):
        result.file_errors.append(
            _(
                "Tệp không phải biểu %(form)s năm %(year)s của đơn vị này: hãy tải tệp mẫu "
                "từ trang báo cáo rồi điền vào đó."
            )
            % {"form": grid.form.code, "year": submission.period.year}
        )
        return result
    title = sheet_title(grid.form)
    sheet = workbook[title] if title in workbook.sheetnames else workbook.worksheets[0]
    keys: list = []
    for row in sheet.iter_rows():
        first = row[0].value if row else None
        if first == KEYS_MARK:
            keys = [c.value for c in row[2:]]
            continue
        code = row[1].value if len(row) > 1 else None
        if code is None or str(code).strip() not in grid.indicators:
            continue
        code = str(code).strip()
        for index, column_key in enumerate(keys):
            if column_key is None or index + 2 >= len(row):
                continue
            option = "" if column_key == "total" else str(column_key)
            key = cell_key(code, option)
            cell = row[index + 2]
            value = cell.value
            if key not in grid.cells:
                continue  # an "X" cell
            if isinstance(value, str):
                value = restore_cell(value).strip()
                if value.upper() == X:
                    value = ""
            result.raw[key] = value
            result.addresses[key] = cell.coordinate
    if not keys:
        result.file_errors.append(_("Tệp không có bảng số liệu của biểu; hãy dùng tệp mẫu."))
    return result


def located(message: str, key: str, read: ReadResult, grid: FormLayout) -> str:
    """A message prefixed with the sheet cell and the form cell it points at."""
    cell = grid.cells.get(key)
    label = cell.label if cell is not None else key
    address = read.addresses.get(key)
    if address:
        return _("Ô %(address)s (%(label)s): %(message)s") % {
            "address": address,
            "label": label,
            "message": message,
        }
    return f"{label}: {message}"
