"""The indicator registry: named figures computed from the records, for the leader dashboard,
the API and the report generator.

An indicator is a code ("tasks.by_level"), its names, a unit, a source (the register and app the
records come from, named in every footnote), a dashboard group, and a function computing its
`Figure` over a `Scope` (a period and, optionally, a province-level administrative unit in the
2025 scheme or the one before the merger). Indicators are registered by `sti.analytics.catalogue`
at start-up; each computes only through named report methods of the domain apps' QuerySets.

    figure("tasks.by_level", Scope.year(2024))           # one figure
    series("ip.grants", range(2020, 2025), admin_unit="92")   # [(year, Figure), ...]
    figures("ip.grants", [whole, *years])                # several scopes of one area

An indicator computes several scopes of one area at once (`compute_many`): the catalogue's
report methods answer every period in one grouped query, so a dashboard card (the total
and each year of the trend) costs one query, not one per year.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy

SCHEME_2025 = "2025"  # provinces after the 2025 merger
SCHEME_BEFORE = "before"  # provinces before it
SCHEMES = (SCHEME_2025, SCHEME_BEFORE)


@dataclass(frozen=True)
class Scope:
    """What a figure is computed over: an inclusive period and an area."""

    start: date
    end: date
    admin_unit: str = ""  # province-level AdminUnit code, "" = the whole city/region
    scheme: str = SCHEME_2025  # which provinces `admin_unit` names: "2025" or "before"

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("start after end")
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {self.scheme!r}: one of {SCHEMES}")

    @classmethod
    def year(cls, year: int, **kw) -> Scope:
        return cls(date(year, 1, 1), date(year, 12, 31), **kw)

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


@dataclass(frozen=True)
class Figure:
    """One computed figure. `source` names the records and the app they come from."""

    code: str
    value: float | int | None
    unit: str
    source: str
    scope: Scope
    url: str = ""  # the list page of the records behind the figure
    breakdown: tuple[tuple[str, str, float], ...] = ()  # (key, label, value) when grouped
    note: str = ""  # e.g. "không tính được: …"
    url_note: str = ""  # what the link does not narrow to, e.g. the province


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    unit: str
    source: str
    group: str  # the dashboard section
    compute: Callable[[Scope], Figure]
    records_url: Callable[[Scope], str] | None = None
    # The figures of several scopes of one area, in order (one query where it can).
    compute_many: Callable[[Sequence[Scope]], list[Figure]] | None = None
    # False where the records' list cannot narrow to a province: the link says so.
    records_by_area: bool = True


_registry: dict[str, Indicator] = {}


def register_indicator(indicator: Indicator) -> None:
    if indicator.code in _registry:
        raise ValueError(f"indicator {indicator.code!r} registered twice")
    _registry[indicator.code] = indicator


def get_indicator(code: str) -> Indicator:
    """The indicator registered under `code`; KeyError if none is."""
    return _registry[code]


def all_indicators() -> list[Indicator]:
    """Every indicator, in registration order."""
    return list(_registry.values())


def figures(code: str, scopes: Sequence[Scope]) -> list[Figure]:
    """Compute indicator `code` over each of `scopes` (all of one area), with the link to
    its records; one query per indicator where its report methods allow."""
    indicator = get_indicator(code)
    scopes = list(scopes)
    if len({(s.admin_unit, s.scheme) for s in scopes}) > 1:
        raise ValueError("figures() computes scopes of one area at a time")
    if indicator.compute_many is not None:
        results = indicator.compute_many(scopes)
    else:
        results = [indicator.compute(scope) for scope in scopes]
    if indicator.records_url is not None:
        results = [
            result
            if result.url
            else dataclasses.replace(
                result,
                url=indicator.records_url(s),
                url_note=str(ALL_AREAS) if s.admin_unit and not indicator.records_by_area else "",
            )
            for s, result in zip(scopes, results, strict=True)
        ]
    return results


def figure(code: str, scope: Scope) -> Figure:
    """Compute indicator `code` over `scope`, with the link to its records."""
    return figures(code, [scope])[0]


def year_scopes(years: Iterable[int], admin_unit: str = "", scheme: str = SCHEME_2025):
    """One scope per calendar year of `years`, all of one area."""
    return [Scope.year(year, admin_unit=admin_unit, scheme=scheme) for year in years]


def series(
    code: str, years: Iterable[int], admin_unit: str = "", scheme: str = SCHEME_2025
) -> list[tuple[int, Figure]]:
    """The figure of `code` for each calendar year, in the order given (one computation)."""
    years = list(years)
    return list(zip(years, figures(code, year_scopes(years, admin_unit, scheme)), strict=True))


# ---------------------------------------------------------------------------
# Building indicators from a value or a breakdown function
# ---------------------------------------------------------------------------
Breakdown = Sequence[tuple[str, str, float]]


def define(
    code: str,
    name,
    name_en: str,
    unit,
    source,
    group: str,
    *,
    value: Callable[[Scope], float | int | None] | None = None,
    breakdown: Callable[[Scope], Breakdown] | None = None,
    values: Callable[[Sequence[Scope]], Sequence[float | int | None]] | None = None,
    breakdowns: Callable[[Sequence[Scope]], Sequence[Breakdown]] | None = None,
    records_url: Callable[[Scope], str] | None = None,
    records_by_area: bool = True,
    note="",
    by_area: bool = True,
    register: bool = True,
) -> Indicator:
    """An indicator whose figure is `value(scope)`, or `breakdown(scope)` with the sum of its
    parts as the value when no `value` is given (give both when the parts are "of which"
    items or the total is its own count). `values` and `breakdowns` are the same for a list
    of scopes of one area at once (one result per scope: one query for a whole trend), in
    place of `value` and `breakdown`. `note` goes with every figure; an indicator whose
    records name no organization (`by_area=False`) gives no value for an area, and says why."""
    if value is not None:
        values = values or (lambda scopes: [value(scope) for scope in scopes])
    if breakdown is not None:
        breakdowns = breakdowns or (lambda scopes: [breakdown(scope) for scope in scopes])
    if values is None and breakdowns is None:
        raise ValueError(f"indicator {code!r} needs a value or a breakdown function")

    def compute_many(scopes: Sequence[Scope]) -> list[Figure]:
        scopes = list(scopes)
        if not scopes:
            return []
        if scopes[0].admin_unit and not by_area:
            return [
                Figure(code, None, str(unit), str(source), s, note=str(NO_AREA)) for s in scopes
            ]
        parted = breakdowns(scopes) if breakdowns else [()] * len(scopes)
        parts = [tuple((str(k), str(label), v) for k, label, v in each) for each in parted]
        totals = values(scopes) if values else [sum(v for _, _, v in each) for each in parts]
        return [
            Figure(code, total, str(unit), str(source), s, breakdown=each, note=str(note))
            for s, total, each in zip(scopes, totals, parts, strict=True)
        ]

    def compute(scope: Scope) -> Figure:
        return compute_many([scope])[0]

    indicator = Indicator(
        code,
        name,
        name_en,
        unit,
        source,
        group,
        compute,
        records_url,
        compute_many,
        records_by_area,
    )
    if register:
        register_indicator(indicator)
    return indicator


ALL_AREAS = gettext_lazy("Danh sách hồ sơ không lọc được theo tỉnh: liên kết mở toàn địa bàn.")
NO_AREA = gettext_lazy(
    "Không tính được theo địa bàn: các hồ sơ này không gắn với tổ chức trong danh bạ."
)
