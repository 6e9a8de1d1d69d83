"""Editors' pages of a period's aggregates: state, rebuild, publish; the aggregate form
reports; the national indicators with their definitions; Excel and flat exports. The
public statistics pages read only the published copy and live elsewhere."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core import jobs as core_jobs
from sti.core.exports import content_disposition, export_response
from sti.core.models import TrackedJob
from sti.stats import aggregation, aggregation_report, services
from sti.stats.jobs import AGGREGATE
from sti.stats.models import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(year) -> Period:
    return get_object_or_404(Period.objects.select_related("regime"), year=year)


def _published(request) -> bool:
    """Editors read the current build unless they ask for the published copy."""
    return request.GET.get("ban") == "cong-bo"


@editor_required
def period_aggregates(request, year):
    period = _period(year)
    by = request.GET.get("theo", "")
    if by not in aggregation.BREAKDOWNS:
        by = ""
    job = (
        TrackedJob.objects.filter(kind=AGGREGATE, target_id=str(period.pk)).order_by("-pk").first()
    )
    context = {
        "period": period,
        "built": aggregation.aggregate_set(period),
        "forms": [f for f in period.regime.forms.all() if aggregation_report.form_layout(f)],
        "results": aggregation.national_indicators(period, published=_published(request), by=by),
        "published_view": _published(request),
        "by": by,
        "breakdowns": aggregation.BREAKDOWNS,
        "job_context": core_jobs.status_context(job, request.user) if job else None,
    }
    return render(request, "stats/aggregates.html", context)


@editor_required
def aggregate_form(request, year, number):
    period = _period(year)
    form = get_object_or_404(period.regime.forms, number=number)
    report = aggregation_report.build_report(period, form, published=_published(request))
    return render(request, "stats/aggregate_form.html", {"report": report, "period": period})


@editor_required
def aggregates_workbook(request, year):
    period = _period(year)
    forms = [f for f in period.regime.forms.all() if aggregation_report.form_layout(f)]
    published = _published(request)
    reports = [aggregation_report.build_report(period, f, published=published) for f in forms]
    response = HttpResponse(aggregation_report.workbook_bytes(reports), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"tong-hop-thong-ke-{year}.xlsx")
    return response


@editor_required
def aggregates_export(request, year, fmt):
    period = _period(year)
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404
    rows = aggregation_report.export_rows(period, published=_published(request))
    return export_response(
        aggregation_report.EXPORT_COLUMNS, rows, fmt, f"so-lieu-tong-hop-{year}", stream=True
    )


@editor_required
@require_POST
def aggregates_action(request, year, action):
    period = _period(year)
    try:
        if action == "tong-hop-lai":
            services.request_aggregation(request.user, period)
            messages.success(request, _("Đã xếp hàng tổng hợp lại số liệu."))
        elif action == "cong-bo":
            aggregation.publish(request.user, period)
            messages.success(request, _("Đã công bố số liệu tổng hợp."))
        elif action == "thu-hoi":
            aggregation.unpublish(request.user, period)
            messages.success(request, _("Đã thu hồi công bố."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("stats:period_aggregates", year=period.year)
