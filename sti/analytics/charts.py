"""Server-side charts and data of an indicator, drawn by the shared publishing builders so
that they download without JavaScript and the report generator can place the same pictures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.analytics.indicators import SCHEME_BEFORE, Figure, Indicator, Scope
from sti.publishing import charts

CSV_COLUMNS = [
    ("year", "Năm"),
    ("code", "Mã chỉ tiêu"),
    ("key", "Mã nhóm"),
    ("label", "Nhóm"),
    ("value", "Giá trị"),
    ("unit", "Đơn vị"),
    ("source", "Nguồn"),
    ("note", "Ghi chú"),
]


def title(indicator: Indicator, scope: Scope) -> str:
    """The indicator's name with the period and area it covers, e.g. "… (2021–2025, 93)"."""
    years = (
        f"{scope.start.year}–{scope.end.year}"
        if scope.start.year != scope.end.year
        else str(scope.start.year)
    )
    if scope.admin_unit:
        scheme = _("trước sáp nhập") if scope.scheme == SCHEME_BEFORE else _("sau sáp nhập")
        years += f", {scope.admin_unit} ({scheme})"
    return f"{indicator.name} ({years})"


def trend_png(indicator: Indicator, scope: Scope, points: list[tuple[int, Figure]]) -> bytes:
    """A line of the indicator's value per year (years without a value are left out)."""
    known = [(year, f.value) for year, f in points if f.value is not None]
    return charts.line_chart(
        [year for year, _v in known],
        [float(v) for _y, v in known],
        title=title(indicator, scope),
        unit=str(indicator.unit),
        labels=(_("Số liệu"), _("Dự báo"), _("Khoảng dự báo")),
    )


def breakdown_png(indicator: Indicator, figure: Figure) -> bytes:
    """Bars of the figure's parts (its total alone when it has none)."""
    parts = figure.breakdown or (("", _("Tổng số"), figure.value or 0),)
    return charts.bar_chart(
        [part_label for _k, part_label, _v in parts],
        [float(v) for _k, _l, v in parts],
        title=title(indicator, figure.scope),
        unit=str(indicator.unit),
    )


def csv_rows(points: list[tuple[int, Figure]]) -> list[dict]:
    """One row per year for the total (key "") and one per part of its breakdown."""
    rows = []
    for year, f in points:
        common = {"year": year, "code": f.code, "unit": f.unit, "source": f.source}
        rows.append({**common, "key": "", "label": _("Tổng số"), "value": f.value, "note": f.note})
        rows.extend(
            {**common, "key": key, "label": part_label, "value": value, "note": ""}
            for key, part_label, value in f.breakdown
        )
    return rows
