"""Forecasts and time series: compared with statsmodels itself, and with known series."""

import math

import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from sti.stats import forecast, timeseries

STAFF = [(2015, 6118), (2016, 6402), (2017, 6731), (2018, 7064), (2019, 7455)]


def _statsmodels(values, trend):
    results = ETSModel(pd.Series([float(v) for v in values]), error="add", trend=trend).fit(
        disp=False
    )
    frame = results.get_prediction(start=len(values), end=len(values) + 2).summary_frame(alpha=0.05)
    return results, frame


@pytest.mark.filterwarnings("ignore")
def test_holt_forecast_equals_statsmodels():
    result = forecast.forecast(STAFF)
    results, frame = _statsmodels([v for _y, v in STAFF], "add")
    assert result.model == "ETS(A,A,N)"
    assert result.years == [2020, 2021, 2022]
    assert result.mean == pytest.approx(list(frame["mean"]), rel=1e-9)
    assert result.lower == pytest.approx(list(frame["pi_lower"]), rel=1e-9)
    assert result.upper == pytest.approx(list(frame["pi_upper"]), rel=1e-9)
    assert result.aic == pytest.approx(results.aic)
    rmse = math.sqrt(sum(r * r for r in results.resid) / len(results.resid))
    assert result.rmse == pytest.approx(rmse)
    # the interval widens with the horizon and holds the point forecast
    widths = [u - lo for lo, u in zip(result.lower, result.upper, strict=True)]
    assert widths == sorted(widths) and widths[0] > 0
    assert all(lo < m < u for lo, m, u in zip(result.lower, result.mean, result.upper, strict=True))


@pytest.mark.filterwarnings("ignore")
def test_linear_series_is_extended():
    points = [(2010 + i, 100 + 25 * i) for i in range(8)]
    result = forecast.forecast(points)
    assert result.mean == pytest.approx([300, 325, 350], abs=1.0)


@pytest.mark.filterwarnings("ignore")
def test_short_series_uses_simple_smoothing_and_equals_statsmodels():
    points = STAFF[:4]
    result = forecast.forecast(points)
    _results, frame = _statsmodels([v for _y, v in points], None)
    assert result.model == "ETS(A,N,N)"
    assert result.mean == pytest.approx(list(frame["mean"]), rel=1e-9)
    assert "xu thế" in result.method


def test_too_few_points_give_a_reason_not_a_forecast():
    result = forecast.forecast(STAFF[:2])
    assert not result.ok
    assert "ít nhất 3 năm" in result.reason and "hiện có 2" in result.reason
    # a gap breaks the run: only the years after it count
    result = forecast.forecast([(2012, 5.0), (2013, 6.0), (2014, 7.0), (2016, 8.0), (2017, 9.0)])
    assert not result.ok and result.used == 2


def test_flat_series_forecasts_its_level():
    result = forecast.forecast([(2017, 73), (2018, 73), (2019, 73)])
    assert result.ok and result.mean == [73, 73, 73] and result.rmse == 0


def test_year_on_year_change():
    points = timeseries.year_on_year([(2019, 7455), (2017, 6731), (2018, 7064), (2015, 0)])
    assert [p.year for p in points] == [2015, 2017, 2018, 2019]
    assert points[0].change is None  # first year
    assert points[1].change is None  # 2016 missing
    assert points[2].change == 333
    assert points[2].change_percent == pytest.approx(333 / 6731 * 100)
    assert points[3].change == 391


@pytest.mark.filterwarnings("ignore")
def test_chart_data_joins_history_and_forecast():
    series = timeseries.build("1403", "Nhân lực NC&PT", STAFF, unit="người")
    chart = series.chart()
    assert chart["labels"] == [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]
    assert chart["history"][:5] == [6118, 6402, 6731, 7064, 7455]
    assert chart["history"][5:] == [None, None, None]
    assert chart["forecast"][:4] == [None] * 4 and chart["forecast"][4] == 7455
    assert chart["forecast"][5:] == pytest.approx(series.forecast.mean)
