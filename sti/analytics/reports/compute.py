"""Computing a report from its template: every figure, table and chart of each section over
the report's period and area, with the footnote naming each figure's source and period, and
the consistency checks. Only the indicator registry is read (`sti.analytics.indicators`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from sti.analytics.indicators import Figure, Scope, get_indicator
from sti.analytics.indicators import figure as compute_figure
from sti.analytics.reports.definitions import BlockDef, CheckDef, SectionDef, TemplateDef
from sti.publishing.numbers import number


@dataclass(frozen=True)
class Params:
    """What a report is computed over: whole years `start`–`end`, an area."""

    start: int
    end: int
    admin_unit: str = ""
    scheme: str = "2025"

    def scope(self, period: str) -> list[tuple[str, Scope]]:
        """(label, scope) for each column a block of `period` shows."""
        area = {"admin_unit": self.admin_unit, "scheme": self.scheme}
        if period == "each_year":
            return [(str(y), Scope.year(y, **area)) for y in range(self.start, self.end + 1)]
        if period == "last_year":
            return [(str(self.end), Scope.year(self.end, **area))]
        whole = Scope(date(self.start, 1, 1), date(self.end, 12, 31), **area)
        return [(self.label, whole)]

    @property
    def label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


def period_text(scope: Scope) -> str:
    if scope.start.year == scope.end.year:
        return _("năm %(year)s") % {"year": scope.start.year}
    return _("giai đoạn %(start)s–%(end)s") % {"start": scope.start.year, "end": scope.end.year}


def source_note(fig: Figure, scopes: list[Scope]) -> str:
    """'Nguồn: <records>; số liệu năm 2019.' — the footnote of one indicator in one block."""
    if len(scopes) > 1:
        when = _("các năm %(start)s–%(end)s") % {
            "start": scopes[0].start.year,
            "end": scopes[-1].end.year,
        }
    else:
        when = period_text(scopes[0])
    text = _("Nguồn: %(source)s; số liệu %(when)s.") % {"source": fig.source, "when": when}
    if fig.note:
        text += " " + fig.note
    return text


class Figures:
    """Each (indicator, scope) computed once per report."""

    def __init__(self):
        self._cache: dict[tuple[str, Scope], Figure] = {}

    def __call__(self, code: str, scope: Scope) -> Figure:
        key = (code, scope)
        if key not in self._cache:
            self._cache[key] = compute_figure(code, scope)
        return self._cache[key]


@dataclass
class Row:
    label: str
    values: list  # one per column; numbers or None
    total: bool = False

    @property
    def texts(self) -> list[str]:
        return [number(v) for v in self.values]


@dataclass
class Block:
    """A computed block: a figure sentence, a table, or a chart's series."""

    definition: BlockDef
    caption: str
    unit: str
    columns: list[str]
    rows: list[Row]
    footnotes: list[str]
    codes: tuple[str, ...]
    urls: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.definition.kind

    def sentence(self) -> str:
        """A figure block as text: "Số tổ chức KH&CN (2019): 73 tổ chức"."""
        row = self.rows[0]
        parts = [
            f"{label}: {number(value)}" if len(self.columns) > 1 else number(value)
            for label, value in zip(self.columns, row.values, strict=True)
        ]
        suffix = f" {self.unit}" if self.unit else ""
        when = f" ({self.columns[0]})" if len(self.columns) == 1 else ""
        return f"{self.caption}{when}: {'; '.join(parts)}{suffix}"


def _name(code: str) -> str:
    return str(get_indicator(code).name)


def compute_block(definition: BlockDef, params: Params, figures: Figures) -> Block:
    columns = params.scope(definition.period)
    labels = [label for label, _scope in columns]
    scopes = [scope for _label, scope in columns]
    rows: list[Row] = []
    notes: list[str] = []
    units: list[str] = []
    urls: list[str] = []
    for code in definition.indicators:
        figs = [figures(code, scope) for scope in scopes]
        units.append(figs[0].unit)
        note = source_note(figs[0], scopes)
        if note not in notes:
            notes.append(note)
        urls += [f.url for f in figs if f.url]
        # Parts in the order of the column with the most of them (a part that is zero in
        # one year is left out of that year's breakdown), then any others.
        fullest = sorted(figs, key=lambda f: -len(f.breakdown))
        keys = list(dict.fromkeys(k for f in fullest for k, _label, _v in f.breakdown))
        # A figure is one number (the indicator's total); a table or bar chart of a single
        # indicator shows its parts, one of several indicators a row per indicator.
        by_parts = len(definition.indicators) == 1 and (
            definition.kind == "table" or (definition.kind == "chart" and definition.chart == "bar")
        )
        if keys and by_parts:
            names = {k: label for f in figs for k, label, _v in f.breakdown}
            for key in keys:
                values = [next((v for k, _l, v in f.breakdown if k == key), 0) for f in figs]
                rows.append(Row(names[key], values))
            rows.append(Row(_("Tổng số"), [f.value for f in figs], total=True))
        else:
            rows.append(Row(_name(code), [f.value for f in figs]))
    same_unit = len(set(units)) == 1
    caption = definition.caption or _name(definition.indicators[0])
    if not same_unit:
        for row, unit in zip(rows, units, strict=False):
            row.label = f"{row.label} ({unit})"
    return Block(
        definition,
        caption,
        units[0] if same_unit else "",
        labels,
        rows,
        notes,
        definition.indicators,
        list(dict.fromkeys(urls)),
    )


@dataclass
class Section:
    definition: SectionDef
    blocks: list[Block]


def compute_sections(template: TemplateDef, params: Params, figures: Figures) -> list[Section]:
    return [
        Section(s, [compute_block(b, params, figures) for b in s.blocks]) for s in template.sections
    ]


# ---------------------------------------------------------------------------
# Consistency checks
# ---------------------------------------------------------------------------
@dataclass
class Disagreement:
    """One check in one period: the two values, where each comes from, whether they differ."""

    check: CheckDef
    period: str
    left: tuple[str, float | None, str]  # (what, value, source)
    right: tuple[str, float | None, str]
    differs: bool

    @property
    def left_text(self) -> str:
        return number(self.left[1])

    @property
    def right_text(self) -> str:
        return number(self.right[1])


def _differ(a, b, tolerance: float) -> bool:
    if a is None or b is None:
        return False  # nothing to compare: no claim of disagreement
    return abs(a - b) > tolerance * max(abs(a), abs(b))


def run_check(check: CheckDef, params: Params, figures: Figures) -> list[Disagreement]:
    out = []
    for label, scope in params.scope(check.period):
        if check.kind == "pair":
            a, b = (figures(code, scope) for code in check.indicators)
            left = (_name(a.code), a.value, a.source)
            right = (_name(b.code), b.value, b.source)
        else:
            fig = figures(check.indicators[0], scope)
            parts = sum(v for _k, _l, v in fig.breakdown) if fig.breakdown else None
            left = (_("%(name)s: tổng số") % {"name": _name(fig.code)}, fig.value, fig.source)
            right = (
                _("%(name)s: cộng các loại") % {"name": _name(fig.code)},
                parts,
                fig.source,
            )
        out.append(
            Disagreement(check, label, left, right, _differ(left[1], right[1], check.tolerance))
        )
    return out


def run_checks(template: TemplateDef, params: Params, figures: Figures) -> list[Disagreement]:
    return [d for check in template.checks for d in run_check(check, params, figures)]
