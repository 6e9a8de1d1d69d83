"""Forecasts of a yearly indicator with exponential smoothing (statsmodels' ETS state-space
models), with a prediction interval and the fit named for the page.

A forecast is only as good as its history, so the method follows the length of the series:

- fewer than `MIN_POINTS` consecutive years: no forecast, and the reason says why;
- up to `MIN_TREND_POINTS - 1` years: simple exponential smoothing, ETS(A,N,N), a level
  without trend (a trend fitted on three or four points is mostly noise);
- from `MIN_TREND_POINTS` years: Holt's linear trend, ETS(A,A,N).

ETS models give prediction intervals from their state-space form (additive errors), which the
older `Holt`/`ExponentialSmoothing` classes do not. The fit is reported as the AIC and the
root mean squared one-step-ahead error (RMSE) over the history. Years must be consecutive:
yearly smoothing assumes equal steps, so only the last unbroken run of years is used.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MIN_POINTS = 3
MIN_TREND_POINTS = 5
HORIZON = 3
LEVEL = 0.95


@dataclass
class Forecast:
    """The forecast of a series, or the reason there is none (`ok` False)."""

    method: str = ""
    model: str = ""
    years: list[int] = field(default_factory=list)
    mean: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    level: float = LEVEL
    aic: float | None = None
    rmse: float | None = None
    used: int = 0  # points of history the model was fitted on
    reason: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.years)

    @property
    def level_percent(self) -> int:
        return round(self.level * 100)

    def rows(self) -> list[dict]:
        return [
            {"year": y, "mean": m, "lower": lo, "upper": up}
            for y, m, lo, up in zip(self.years, self.mean, self.lower, self.upper, strict=True)
        ]


def trailing_run(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The last run of consecutive years of `points` (sorted by year, no missing values)."""
    ordered = sorted((int(y), float(v)) for y, v in points if v is not None)
    run: list[tuple[int, float]] = []
    for year, value in ordered:
        if run and year != run[-1][0] + 1:
            run = []
        run.append((year, value))
    return run


def fit(values: list[float], *, trend: bool):
    """The fitted statsmodels ETS results of `values` (additive errors)."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = pd.Series([float(v) for v in values])
    model = ETSModel(series, error="add", trend="add" if trend else None)
    with warnings.catch_warnings():
        # Short series make the optimizer warn about convergence; the fit is still reported.
        warnings.simplefilter("ignore")
        return model.fit(disp=False)


def forecast(
    points: list[tuple[int, float]], *, horizon: int = HORIZON, level: float = LEVEL
) -> Forecast:
    """Forecast the `horizon` years after the last one of `points` [(year, value)]."""
    run = trailing_run(points)
    if len(run) < MIN_POINTS:
        return Forecast(
            used=len(run),
            level=level,
            reason=_("Chưa đủ số liệu để dự báo: cần ít nhất %(min)s năm liên tiếp, hiện có %(n)s.")
            % {"min": MIN_POINTS, "n": len(run)},
        )
    values = [v for _y, v in run]
    if max(values) == min(values):
        # A flat history: the smoothing forecast is that level, with no spread to estimate.
        years = [run[-1][0] + step for step in range(1, horizon + 1)]
        return Forecast(
            method=_("Không đổi (chuỗi số liệu không biến động)"),
            model="constant",
            years=years,
            mean=[values[-1]] * horizon,
            lower=[values[-1]] * horizon,
            upper=[values[-1]] * horizon,
            level=level,
            rmse=0.0,
            used=len(run),
        )
    trend = len(run) >= MIN_TREND_POINTS
    try:
        results = fit(values, trend=trend)
        frame = results.get_prediction(start=len(values), end=len(values) + horizon - 1)
        table = frame.summary_frame(alpha=1 - level)
    except (ValueError, ArithmeticError, IndexError, RuntimeError) as error:
        return Forecast(
            used=len(run),
            level=level,
            reason=_("Không ước lượng được mô hình: %(error)s") % {"error": error},
        )
    residuals = [float(r) for r in results.resid]
    rmse = math.sqrt(sum(r * r for r in residuals) / len(residuals))
    aic = float(results.aic)
    if trend:
        method = _("San bằng mũ Holt, xu thế tuyến tính – ETS(A,A,N)")
        model = "ETS(A,A,N)"
    else:
        method = _("San bằng mũ giản đơn – ETS(A,N,N) (chuỗi ngắn, không ước lượng xu thế)")
        model = "ETS(A,N,N)"
    return Forecast(
        method=method,
        model=model,
        years=[run[-1][0] + step for step in range(1, horizon + 1)],
        mean=[float(v) for v in table["mean"]],
        lower=[float(v) for v in table["pi_lower"]],
        upper=[float(v) for v in table["pi_upper"]],
        level=level,
        aic=aic if math.isfinite(aic) else None,
        rmse=rmse,
        used=len(run),
    )
