"""The indicator registry: named figures computed from the records, for the leader dashboard,
the API and the report generator.

An indicator is a code ("tasks.by_level"), its names, a unit, a source (the register and app the
records come from, named in every footnote), a dashboard group, and a function computing its
`Figure` over a `Scope` (a period and, optionally, a province-level administrative unit in the
2025 scheme or the one before the merger). Indicators are registered by `sti.analytics.catalogue`
at start-up; each computes only through named report methods of the domain apps' QuerySets.

    figure("tasks.by_level", Scope.year(2024))           # one figure
    series("ip.grants", range(2020, 2025), admin_unit="92")   # [(year, Figure), ...]
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


def figure(code: str, scope: Scope) -> Figure:
    """Compute indicator `code` over `scope`, with the link to its records."""
    indicator = get_indicator(code)
    result = indicator.compute(scope)
    if not result.url and indicator.records_url is not None:
        result = dataclasses.replace(result, url=indicator.records_url(scope))
    return result


def series(
    code: str, years: Iterable[int], admin_unit: str = "", scheme: str = SCHEME_2025
) -> list[tuple[int, Figure]]:
    """The figure of `code` for each calendar year, in the order given."""
    return [
        (year, figure(code, Scope.year(year, admin_unit=admin_unit, scheme=scheme)))
        for year in years
    ]


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
    records_url: Callable[[Scope], str] | None = None,
    note="",
    by_area: bool = True,
    register: bool = True,
) -> Indicator:
    """An indicator whose figure is `value(scope)`, or `breakdown(scope)` with the sum of its
    parts as the value when no `value` is given (give both when the parts are "of which"
    items or the total is its own count). `note` goes with every figure; an indicator whose
    records name no organization (`by_area=False`) gives no value for an area, and says why."""
    if value is None and breakdown is None:
        raise ValueError(f"indicator {code!r} needs a value or a breakdown function")

    def compute(scope: Scope) -> Figure:
        if scope.admin_unit and not by_area:
            return Figure(code, None, str(unit), str(source), scope, note=str(NO_AREA))
        parts = (
            tuple((str(k), str(label), v) for k, label, v in breakdown(scope)) if breakdown else ()
        )
        total = value(scope) if value is not None else sum(v for _, _, v in parts)
        return Figure(code, total, str(unit), str(source), scope, breakdown=parts, note=str(note))

    indicator = Indicator(code, name, name_en, unit, source, group, compute, records_url)
    if register:
        register_indicator(indicator)
    return indicator


NO_AREA = gettext_lazy(
    "Không tính được theo địa bàn: các hồ sơ này không gắn với tổ chức trong danh bạ."
)
