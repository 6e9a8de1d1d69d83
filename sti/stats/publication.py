"""What the public statistics page, its downloads and the yearbook read: PUBLISHED aggregates
only, through the aggregation's read API (`sti.stats.aggregation.aggregate`, always with
`published=True`). An organization's own figures never pass through here: the aggregates
are sums over organizations, and a period appears only once an editor has published it.

- `headline_series()`: the yearly series shown with charts and forecasts: the national
  indicators 1401–1407 that the forms can compute, and the tasks hosted at all levels;
- `download_rows(period)`: every published figure of a period, labelled, for CSV, Excel,
  JSON and SDMX-CSV (`sdmx_csv`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sti.stats import aggregation, indicators, timeseries
from sti.stats.choices import AggregateKind
from sti.stats.models import TOTAL, BreakdownOption, Indicator, Period

SDMX_AGENCY = "STI_CT"  # the center, as the maintainer of the dataflow
SDMX_DATAFLOW = f"{SDMX_AGENCY}:DF_KHCN(1.0)"
SDMX_TOTAL = "_T"  # SDMX's code for "all" / total in a dimension
SDMX_DIMENSIONS = ["FREQ", "TIME_PERIOD", "INDICATOR", "BREAKDOWN", "GROUPING", "GROUP"]


@dataclass(frozen=True)
class SeriesSpec:
    """One public series: the sum of some aggregate rows (total column, all organizations)."""

    code: str
    label: str
    unit: str
    kind: str
    terms: tuple[str, ...]
    definition: str = ""
    computation: str = ""


# A cell-based series shown beside the national indicators (the seed report's figure).
TASKS = SeriesSpec(
    code="NV",
    label=gettext_lazy("Nhiệm vụ KH&CN do các tổ chức chủ trì (các cấp)"),
    unit=gettext_lazy("nhiệm vụ"),
    kind=AggregateKind.CELL,
    terms=("04.01", "04.11"),
    computation=gettext_lazy(
        "Tổng số đề tài, đề án (04.01) và dự án (04.11) của biểu 04/KHCN-NV, mọi cấp quản lý."
    ),
)


def published_periods_until(year: int | None = None) -> list[Period]:
    """Published periods (up to `year`), oldest first."""
    periods = aggregation.published_periods().select_related("regime").order_by("year")
    if year is not None:
        periods = periods.filter(year__lte=year)
    return list(periods)


def series_specs() -> list[SeriesSpec]:
    specs = [
        SeriesSpec(
            code=item.code,
            label=item.label,
            unit=item.unit,
            kind=AggregateKind.NATIONAL,
            terms=(item.code,),
            definition=item.definition_text,
            computation=item.computation_text,
        )
        for item in indicators.definitions()
        if item.computed
    ]
    return [*specs, TASKS]


def _totals(period: Period) -> dict[tuple[str, str], Decimal]:
    """{(kind, code): published total over every organization} of one period."""
    out = {}
    for kind in (AggregateKind.NATIONAL, AggregateKind.CELL):
        for row in aggregation.aggregate(period, published=True, kind=kind):
            if row.option == TOTAL and row.by == aggregation.ALL:
                out[(kind, row.indicator)] = row.value
    return out


def headline_series(*, until: int | None = None, horizon: int = 3) -> list[timeseries.Series]:
    """Each public series over the published periods (up to `until`), with year-on-year
    change and forecast."""
    periods = published_periods_until(until)
    totals = {p.year: _totals(p) for p in periods}
    out = []
    for spec in series_specs():
        points = []
        for year, table in totals.items():
            parts = [table.get((spec.kind, term)) for term in spec.terms]
            if any(part is not None for part in parts):
                points.append((year, sum((p for p in parts if p is not None), Decimal(0))))
        series = timeseries.build(
            spec.code, str(spec.label), points, unit=str(spec.unit), horizon=horizon
        )
        series.spec = spec
        out.append(series)
    return out


# ---------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------
COLUMNS = [
    ("year", gettext_lazy("Năm")),
    ("kind", gettext_lazy("Loại số liệu")),
    ("form", gettext_lazy("Biểu")),
    ("indicator", gettext_lazy("Mã chỉ tiêu")),
    ("indicator_label", gettext_lazy("Chỉ tiêu")),
    ("option", gettext_lazy("Mã phân tổ")),
    ("option_label", gettext_lazy("Phân tổ")),
    ("by", gettext_lazy("Phân theo")),
    ("group", gettext_lazy("Mã nhóm")),
    ("group_label", gettext_lazy("Nhóm")),
    ("value", gettext_lazy("Giá trị")),
    ("organizations", gettext_lazy("Số tổ chức")),
]


def columns() -> list[tuple[str, str]]:
    """The download's columns, headers in the current language."""
    return [(key, str(header)) for key, header in COLUMNS]


def _labels(period: Period) -> tuple[dict, dict, dict]:
    cells = dict(Indicator.objects.filter(regime=period.regime_id).values_list("code", "name"))
    options = {
        f"{b}.{o}": name
        for b, o, name in BreakdownOption.objects.filter(
            breakdown__regime=period.regime_id
        ).values_list("breakdown__code", "code", "name")
    }
    national = {}
    for item in indicators.definitions():
        national[item.code] = item.label
        for part in item.parts:
            options.setdefault(part.key, part.label)
    return cells, options, national


def download_rows(period: Period) -> list[dict]:
    """Every published figure of `period` (nothing when it is not published)."""
    if period.pk not in {p.pk for p in aggregation.published_periods()}:
        return []
    cells, options, national = _labels(period)
    groups = {by: aggregation.group_labels(by) for by in aggregation.BREAKDOWNS}
    by_labels = {by: str(label) for by, label in aggregation.BREAKDOWNS.items()}
    rows = []
    for kind in (AggregateKind.NATIONAL, AggregateKind.CELL):
        for row in aggregation.aggregate(period, published=True, kind=kind, all_groupings=True):
            is_national = kind == AggregateKind.NATIONAL
            rows.append(
                {
                    "year": period.year,
                    "kind": str(AggregateKind(kind).label),
                    "form": row.form,
                    "indicator": row.indicator,
                    "indicator_label": (national if is_national else cells).get(row.indicator, ""),
                    "option": row.option,
                    "option_label": options.get(row.option, _("Tổng số"))
                    if row.option
                    else _("Tổng số"),
                    "by": row.by,
                    "group": row.group,
                    "group_label": groups.get(row.by, {}).get(row.group, row.group)
                    if row.by
                    else by_labels[aggregation.ALL],
                    "value": row.value,
                    "organizations": row.organizations,
                }
            )
    return rows


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text


def sdmx_csv(rows: list[dict]) -> str:
    """SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, the dimensions, OBS_VALUE. ACTION "I"
    (information): a published extract, not an instruction to replace a partner's data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *SDMX_DIMENSIONS, "OBS_VALUE"])
    for row in rows:
        writer.writerow(
            [
                "dataflow",
                SDMX_DATAFLOW,
                "I",
                "A",
                row["year"],
                row["indicator"],
                row["option"] or SDMX_TOTAL,
                row["by"] or SDMX_TOTAL,
                row["group"] or SDMX_TOTAL,
                _number(row["value"]),
            ]
        )
    return out.getvalue()
