"""Public statistics pages: published aggregates with charts, year-on-year change and
forecasts, downloads (CSV, Excel, JSON, SDMX-CSV), and the statistical yearbooks; an editor's
button to build a yearbook. Nothing here reads a submission: only published aggregates
(`sti.stats.publication`)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core import jobs
from sti.core.downloads import ranged_file_response
from sti.core.exports import content_disposition, export_response
from sti.stats import aggregation, publication, yearbook_services
from sti.stats.models import YearbookBuild


def _published_or_404(year: int):
    for period in publication.published_periods_until(year):
        if period.year == year:
            return period
    raise Http404(_("Số liệu năm này chưa được công bố."))


def _yearbooks(user):
    builds = YearbookBuild.objects.visible_to(user).select_related("job")
    return builds[:20] if user.is_authenticated and user.is_editor else builds.finished()[:20]


def statistics_home(request):
    periods = publication.published_periods_until()
    series = publication.headline_series()
    return render(
        request,
        "stats/public/home.html",
        {
            "periods": list(reversed(periods)),
            "series": series,
            "charts": {s.code: s.chart() for s in series},
            "yearbooks": _yearbooks(request.user),
        },
    )


def statistics_year(request, year: int):
    period = _published_or_404(year)
    return render(
        request,
        "stats/public/year.html",
        {
            "period": period,
            "results": aggregation.national_indicators(period, published=True, by="org_type"),
        },
    )


FORMATS = {"csv", "xlsx", "json", "sdmx"}


def statistics_download(request, year: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    period = _published_or_404(year)
    rows = publication.download_rows(period)
    stem = f"thong-ke-khcn-{period.year}"
    if fmt == "sdmx":
        response = HttpResponse(
            publication.sdmx_csv(rows).encode("utf-8"),
            content_type="application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition(f"{stem}-sdmx.csv")
        return response
    return export_response(publication.columns(), rows, fmt, stem, sheet_title=str(period.year))


@require_POST
@editor_required
def yearbook_request(request):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Hãy chọn năm của ấn phẩm."))
        return redirect("stats:public_home")
    try:
        build = yearbook_services.request_yearbook(request.user, year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("stats:public_home")
    messages.success(request, _("Đã đưa yêu cầu tạo ấn phẩm vào hàng đợi."))
    return redirect(f"{reverse('stats:public_home')}#yearbook-{build.pk}")


@editor_required
def yearbook_status(request, pk: int):
    build = get_object_or_404(
        YearbookBuild.objects.visible_to(request.user).select_related("job"), pk=pk
    )
    return render(
        request,
        "stats/public/_yearbook_row.html",
        {"build": build, **jobs.status_context(build.job, request.user)},
    )


def yearbook_download(request, pk: int, fmt: str):
    """Finished yearbooks are public documents (published aggregates only)."""
    build = get_object_or_404(YearbookBuild.objects.visible_to(request.user).finished(), pk=pk)
    file = {"docx": build.docx, "pdf": build.pdf}.get(fmt)
    if not file:
        raise Http404
    filename = f"{_('An pham thong ke KHCN')} {build.year}.{fmt}"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return ranged_file_response(request, file, content_type, filename=filename, as_attachment=True)
