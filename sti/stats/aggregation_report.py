"""Aggregate reports laid out as the official aggregate forms, their Excel workbook, and the
flat export of a period's aggregates (CSV, XLSX, JSON through `sti.core.exports`).

The layout of each aggregate form is data (`data/aggregate_forms.yaml`, with its
provenance): part I repeats the rows and columns of the grassroots form, filled with the sums
over organizations; part II adds, for the form's main indicator, one block of rows per
breakdown ("phân theo loại hình tổ chức", …). Every figure is read from the stored aggregates
(`aggregation.aggregate`), the published copy or the current build as the caller asks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sti.core.exports import ExportColumn, neutralize_cell
from sti.stats import aggregation, layout
from sti.stats.choices import AggregateKind
from sti.stats.models import TOTAL, Period, ReportForm

LAYOUTS = Path(__file__).parent / "data" / "aggregate_forms.yaml"
COUNT_COLUMN = "_orgs"  # the "số tổ chức" column of a block of form 01


@lru_cache(maxsize=2)
def _layouts(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def form_layout(form: ReportForm) -> dict:
    """The aggregate layout of a form (empty: the form has none in the data file)."""
    data = _layouts(str(LAYOUTS), LAYOUTS.stat().st_mtime)
    if data.get("regime") not in (None, form.regime.code):
        return {}
    return dict((data.get("forms") or {}).get(form.number) or {})


@dataclass
class ReportRow:
    label: str
    code: str = ""
    indent: int = 0
    cells: list = field(default_factory=list)  # Decimal | None | "X" per column
    heading: bool = False


@dataclass
class ReportPart:
    title: str
    columns: list[str]
    rows: list[ReportRow] = field(default_factory=list)


@dataclass
class AggregateReport:
    period: Period
    form: ReportForm
    code: str
    name: str
    provenance: str
    published: bool
    organizations: int
    parts: list[ReportPart]


def _name(spec: dict, key: str = "name") -> str:
    en = (get_language() or "vi").startswith("en")
    return spec.get(f"{key}_en") if en and spec.get(f"{key}_en") else spec.get(key, "")


def build_report(period: Period, form: ReportForm, *, published: bool = True) -> AggregateReport:
    """The aggregate report of one form: part I (the form's grid, summed) and part II (the
    main indicator by each breakdown of the layout)."""
    spec = form_layout(form)
    grid = layout.build(form)
    rows = aggregation.aggregate(
        period, published=published, indicators=list(grid.indicators), all_groupings=True
    )
    table = aggregation.as_table(rows)
    parts = []
    for section in grid.sections:
        part = ReportPart(
            f"{_('Phần I')} – {section.section.label}", [c.label for c in section.columns]
        )
        for row in section.rows:
            if row.indicator.kind == "text":
                continue
            cells = []
            for cell in row.cells:
                if cell is None:
                    cells.append("X")
                    continue
                found = table.get((row.indicator.code, cell.column.option_key, "", ""))
                cells.append(found.value if found else None)
            part.rows.append(
                ReportRow(row.indicator.label, row.indicator.code, row.indicator.indent, cells)
            )
        if part.rows:
            parts.append(part)
    main = spec.get("main")
    if main and main in grid.indicators:
        indicator = grid.indicators[main]
        main_cells = [c for c in grid.cells.values() if c.indicator.code == main]
        columns = [c.column.label for c in main_cells]
        count = bool(spec.get("count_organizations"))
        if count:
            columns = [_("Số tổ chức")] + columns
        national = (
            aggregation.as_table(
                aggregation.aggregate(
                    period,
                    published=published,
                    indicators=["1401"],
                    kind=AggregateKind.NATIONAL,
                    all_groupings=True,
                )
            )
            if count
            else {}
        )
        for by in spec.get("blocks") or []:
            if by not in aggregation.BREAKDOWNS:
                continue
            labels = aggregation.group_labels(by)
            groups = sorted({r.group for r in rows if r.by == by and r.indicator == main})
            part = ReportPart(
                f"{_('Phần II')} – {indicator.label}: {_('phân theo')} "
                f"{str(aggregation.BREAKDOWNS[by]).lower()}",
                columns,
            )
            for group in groups:
                cells = [
                    getattr(table.get((main, c.column.option_key, by, group)), "value", None)
                    for c in main_cells
                ]
                if count:
                    cells = [getattr(national.get(("1401", TOTAL, by, group)), "value", None)]
                    cells += [
                        getattr(table.get((main, c.column.option_key, by, group)), "value", None)
                        for c in main_cells
                    ]
                part.rows.append(ReportRow(labels.get(group, group), group, 0, cells))
            if part.rows:
                parts.append(part)
    built = aggregation.aggregate_set(period)
    return AggregateReport(
        period=period,
        form=form,
        code=spec.get("code") or form.code,
        name=_name(spec) or form.label,
        provenance=spec.get("provenance") or form.provenance,
        published=published,
        organizations=built.organizations if built else 0,
        parts=parts,
    )


# ---------------------------------------------------------------------------
# Excel: one sheet per form, laid out as the report
# ---------------------------------------------------------------------------
BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDE7F3")


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def workbook_bytes(reports: list[AggregateReport]) -> bytes:
    """The aggregate reports of a period as one workbook (openpyxl), a sheet per form."""
    book = Workbook()
    book.remove(book.active)
    for report in reports:
        sheet = book.create_sheet(title=report.form.number)
        sheet.append([neutralize_cell(f"{report.code} – {report.name}")])
        sheet["A1"].font = Font(bold=True, size=13)
        state = _("Bản công bố") if report.published else _("Bản tổng hợp hiện tại (chưa công bố)")
        sheet.append(
            [
                _("Năm %(year)s · %(n)s tổ chức · %(state)s")
                % {"year": report.period.year, "n": report.organizations, "state": state}
            ]
        )
        sheet.append([neutralize_cell(_("Nguồn bố cục: %(p)s") % {"p": report.provenance})])
        sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[3].height = 45
        width = 1
        for part in report.parts:
            sheet.append([])
            sheet.append([neutralize_cell(part.title)])
            sheet.cell(sheet.max_row, 1).font = BOLD
            sheet.append([_("Chỉ tiêu"), _("Mã số"), *part.columns])
            for cell in sheet[sheet.max_row]:
                cell.font, cell.fill = BOLD, HEAD
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            width = max(width, 2 + len(part.columns))
            for row in part.rows:
                sheet.append(
                    [
                        neutralize_cell("  " * row.indent + row.label),
                        row.code,
                        *(_number(v) for v in row.cells),
                    ]
                )
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 10
        for column in range(3, width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 13
        sheet.freeze_panes = "C1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Flat export of a period's aggregates (one row per figure)
# ---------------------------------------------------------------------------
EXPORT_COLUMNS = [
    ExportColumn("year", "Năm"),
    ExportColumn("kind", "Loại"),
    ExportColumn("form", "Biểu"),
    ExportColumn("indicator", "Mã chỉ tiêu"),
    ExportColumn("indicator_name", "Chỉ tiêu"),
    ExportColumn("option", "Mã phân tổ"),
    ExportColumn("option_name", "Phân tổ"),
    ExportColumn("by", "Phân theo"),
    ExportColumn("group", "Mã nhóm"),
    ExportColumn("group_name", "Nhóm"),
    ExportColumn("value", "Giá trị"),
    ExportColumn("unit", "Đơn vị tính"),
    ExportColumn("organizations", "Số tổ chức"),
]


def export_rows(period: Period, *, published: bool = True):
    """Every aggregate of `period` as export rows with their labels (published copy by
    default)."""
    from sti.stats import indicators
    from sti.stats.models import BreakdownOption, Indicator

    names = {
        code: (name, unit)
        for code, name, unit in Indicator.objects.filter(regime=period.regime).values_list(
            "code", "name", "unit"
        )
    }
    for item in indicators.definitions():
        names[item.code] = (item.name, item.unit)
    options = {
        f"{b}.{c}": n
        for b, c, n in BreakdownOption.objects.filter(breakdown__regime=period.regime).values_list(
            "breakdown__code", "code", "name"
        )
    }
    for item in indicators.definitions():
        for part in item.parts:
            options.setdefault(part.key, part.name)
    labels = {by: aggregation.group_labels(by) for by in aggregation.BREAKDOWNS}
    for kind in (AggregateKind.CELL, AggregateKind.NATIONAL):
        for row in aggregation.aggregate(
            period, published=published, kind=kind, all_groupings=True
        ):
            name, unit = names.get(row.indicator, ("", ""))
            yield {
                "year": period.year,
                "kind": row.kind,
                "form": row.form,
                "indicator": row.indicator,
                "indicator_name": name,
                "option": row.option,
                "option_name": options.get(row.option, "") if row.option else _("Tổng số"),
                "by": row.by,
                "group": row.group,
                "group_name": labels[row.by].get(row.group, row.group),
                "value": row.value,
                "unit": unit,
                "organizations": row.organizations,
            }
