"""The leader dashboard and its downloads (editors and administrators: leaders are editors
here). Each figure is computed from the records; the charts also download as PNG and their
data as CSV, for the filter chosen on the page."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from sti.accounts.access import editor_required
from sti.analytics import charts
from sti.analytics.dashboard import PeriodForm, build
from sti.analytics.indicators import figure, get_indicator, series
from sti.core.exports import content_disposition, export_response

CHART_KINDS = ("xu-huong", "co-cau")  # the trend per year, the parts over the period


def _indicator(code: str):
    try:
        return get_indicator(code)
    except KeyError as missing:
        raise Http404 from missing


def _period(request):
    form = PeriodForm(request.GET)
    return form, (None if form.is_valid() else HttpResponseBadRequest(form.errors.as_text()))


@editor_required
def dashboard(request):
    form = PeriodForm(request.GET)
    sections = build(form) if form.is_valid() else []
    trends = {
        card.indicator.code: {**card.chart, "unit": str(card.indicator.unit)}
        for section in sections
        for card in section.cards
        if card.trend
    }
    context = {"form": form, "sections": sections, "charts": trends}
    return render(request, "analytics/dashboard.html", context)


@editor_required
def chart_png(request, code: str, kind: str):
    indicator = _indicator(code)
    if kind not in CHART_KINDS:
        raise Http404
    form, refused = _period(request)
    if refused:
        return refused
    data = form.cleaned_data
    if kind == "xu-huong":
        points = series(code, form.years, data["admin_unit"], data["scheme"])
        png = charts.trend_png(indicator, form.scope, points)
    else:
        png = charts.breakdown_png(indicator, figure(code, form.scope))
    response = HttpResponse(png, content_type="image/png")
    name = f"{code}-{kind}-{data['from']}-{data['to']}.png"
    response["Content-Disposition"] = content_disposition(name)
    return response


@editor_required
def data_csv(request, code: str):
    _indicator(code)
    form, refused = _period(request)
    if refused:
        return refused
    data = form.cleaned_data
    points = series(code, form.years, data["admin_unit"], data["scheme"])
    stem = f"{code}-{data['from']}-{data['to']}"
    return export_response(charts.CSV_COLUMNS, charts.csv_rows(points), "csv", stem)
