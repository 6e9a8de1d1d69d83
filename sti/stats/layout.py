"""A form's grid as the pages, the workbook, the API and the validation all read it.

A section's columns are its total (unless `has_total` is off) and the options of its
breakdowns, in order; an indicator has a cell in each column it is cut by (the others are the
"X" cells of the paper forms). Values are kept as canonical strings: integers "12", numbers
"12.5" (a decimal point, no exponent), text in NFC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sti.core.text import normalize
from sti.stats.choices import ValueKind
from sti.stats.models import (
    TOTAL,
    Breakdown,
    Indicator,
    ReportForm,
    Section,
    cell_key,
)


@dataclass(frozen=True)
class Column:
    option_key: str  # "" for the total
    label: str
    option_id: int | None = None


@dataclass
class Cell:
    key: str
    indicator: Indicator
    column: Column

    @property
    def label(self) -> str:
        if not self.column.option_key:
            return self.indicator.label
        return f"{self.indicator.label} – {self.column.label}"


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell | None]


@dataclass
class SectionLayout:
    section: Section
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


@dataclass
class FormLayout:
    form: ReportForm
    sections: list[SectionLayout]
    cells: dict[str, Cell]
    indicators: dict[str, Indicator]
    options: dict[str, list[str]]  # breakdown code → option codes

    def expand(self, term: str) -> list[str]:
        """The cell keys of one rule term: "02.01", "02.01|qual.TS" or "02.01|qual.*"."""
        code, _sep, option = term.partition("|")
        if option.endswith(".*"):
            breakdown = option[:-2]
            return [cell_key(code, f"{breakdown}.{o}") for o in self.options.get(breakdown, [])]
        return [cell_key(code, option)]


def build(form: ReportForm) -> FormLayout:
    """The layout of a form (four queries)."""
    breakdowns = {
        b.code: b
        for b in Breakdown.objects.filter(regime_id=form.regime_id).prefetch_related("options")
    }
    options = {code: [o.code for o in b.options.all()] for code, b in breakdowns.items()}
    sections = []
    cells: dict[str, Cell] = {}
    indicators: dict[str, Indicator] = {}
    for section in form.sections.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
    ):
        columns = [Column(TOTAL, _("Tổng số"))] if section.has_total else []
        for code in section.breakdown_codes:
            for option in breakdowns[code].options.all():
                columns.append(Column(f"{code}.{option.code}", option.label, option.pk))
        layout = SectionLayout(section, columns)
        for indicator in section.indicators.all():
            indicator.section = section
            indicators[indicator.code] = indicator
            own = set(indicator.columns)
            row = []
            for column in columns:
                if not column.option_key:
                    usable = section.has_total
                else:
                    breakdown = column.option_key.partition(".")[0]
                    usable = indicator.kind != ValueKind.TEXT and breakdown in own
                if usable:
                    cell = Cell(cell_key(indicator.code, column.option_key), indicator, column)
                    cells[cell.key] = cell
                    row.append(cell)
                else:
                    row.append(None)
            layout.rows.append(Row(indicator, row))
        sections.append(layout)
    return FormLayout(form, sections, cells, indicators, options)


_INTEGER = re.compile(r"^-?\d+$")
LARGEST = Decimal(10) ** 15


def canonical(cell: Cell, raw) -> tuple[str, str]:
    """(canonical value, error message) of what was typed or read from a sheet."""
    if raw is None:
        return "", ""
    if cell.indicator.kind == ValueKind.TEXT:
        return normalize(str(raw)).strip(), ""
    if isinstance(raw, bool):
        return "", _("“%(value)s” không phải là số.") % {"value": raw}
    if isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        text = repr(raw)
    else:
        text = normalize(str(raw)).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return "", ""
    if cell.indicator.kind == ValueKind.NUMBER and "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return "", _("“%(value)s” không phải là số.") % {"value": raw}
    if not number.is_finite() or (isinstance(raw, str) and "e" in text.lower()):
        return "", _("“%(value)s” không phải là số.") % {"value": raw}
    if abs(number) >= LARGEST:  # beyond what a cell stores (20 digits, 4 after the point)
        return "", _("“%(value)s” quá lớn: một ô nhận số dưới 10¹⁵.") % {"value": raw}
    if cell.indicator.kind == ValueKind.INTEGER:
        if number != number.to_integral_value():
            return "", _("“%(value)s” phải là số nguyên.") % {"value": raw}
        return str(int(number)), ""
    return format_number(number), ""


def format_number(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def parse(layout: FormLayout, raw: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical values of the known cells of `raw` and the cells that could not be read.
    Unknown keys are errors too (a value for a cell the form does not have)."""
    values, errors = {}, {}
    for key, value in raw.items():
        cell = layout.cells.get(str(key))
        if cell is None:
            errors[str(key)] = _("Biểu không có ô “%(key)s”.") % {"key": key}
            continue
        text, problem = canonical(cell, value)
        if problem:
            errors[cell.key] = problem
        elif text != "":
            values[cell.key] = text
    return values, errors
