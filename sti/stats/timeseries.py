"""Yearly time series of an indicator: the points, the change from year to year, and the
forecast (`forecast.py`). Pure functions over (year, value) points; where the points come
from (published aggregates only, for the public) is the caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sti.stats import forecast as forecasting


@dataclass
class Point:
    year: int
    value: float
    change: float | None = None  # against the previous year (None: no previous year)
    change_percent: float | None = None  # None also when the previous year was 0


@dataclass
class Series:
    """An indicator's yearly values with year-on-year changes and a forecast."""

    code: str
    label: str
    unit: str = ""
    points: list[Point] = field(default_factory=list)
    forecast: forecasting.Forecast | None = None
    definition: str = ""
    computation: str = ""

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.points]

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    def chart(self) -> dict:
        """The data of the page's Chart.js line chart: history, forecast and its interval
        on one axis of years (None where a line has no point)."""
        fc = self.forecast if self.forecast and self.forecast.ok else None
        future = fc.years if fc else []
        labels = self.years + future
        pad = [None] * len(future)
        data = {
            "labels": labels,
            "history": self.values + pad,
            "forecast": [],
            "lower": [],
            "upper": [],
        }
        if fc:
            # The forecast line starts at the last observed point so the two lines join.
            lead = [None] * (len(self.points) - 1) + [self.values[-1]]
            data["forecast"] = lead + fc.mean
            data["lower"] = lead + fc.lower
            data["upper"] = lead + fc.upper
        return data


def year_on_year(points: list[tuple[int, float]]) -> list[Point]:
    """The points sorted by year, each with its change from the year before (when that year
    is present)."""
    ordered = sorted((int(y), float(v)) for y, v in points if v is not None)
    out: list[Point] = []
    for year, value in ordered:
        point = Point(year, value)
        if out and out[-1].year == year - 1:
            previous = out[-1].value
            point.change = value - previous
            point.change_percent = (value - previous) / previous * 100 if previous else None
        out.append(point)
    return out


def build(
    code: str,
    label: str,
    points: list[tuple[int, float | Decimal]],
    *,
    unit: str = "",
    horizon: int = forecasting.HORIZON,
) -> Series:
    """The series of `points` with year-on-year changes and a forecast of `horizon` years."""
    clean = [(int(y), float(v)) for y, v in points if v is not None]
    series = Series(code=code, label=label, unit=unit, points=year_on_year(clean))
    series.forecast = forecasting.forecast(clean, horizon=horizon) if horizon else None
    return series
