"""Spreadsheet import (preview, then atomic write) and the data-set exports."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.projects import exchange, services
from sti.projects.filters import TaskFilterSet
from sti.projects.forms import ImportForm
from sti.projects.models import Task

FORMATS = ("json", "csv", "xlsx")


def _upload_path(token: str):
    path = services.data_dir() / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{token}.xlsx"


@editor_required
def import_tasks(request):
    """Step 1: upload and preview with row errors. Step 2 (confirm): write all or nothing."""
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.session.get("projects_import")
        path = _upload_path(token) if token and token == request.POST.get("token") else None
        if path is None or not path.exists():
            messages.error(request, _("Phiên nhập dữ liệu đã hết hạn; vui lòng tải tệp lên lại."))
            return redirect("projects:import")
        with path.open("rb") as handle:
            rows, problems = exchange.parse_workbook(handle)
        try:
            created = exchange.import_rows(request.user, rows) if not problems else []
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("projects:import")
        path.unlink(missing_ok=True)
        messages.success(request, _("Đã nhập %(n)s nhiệm vụ.") % {"n": len(created)})
        return redirect("projects:index")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        path = _upload_path(token)
        with path.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        with path.open("rb") as handle:
            rows, problems = exchange.parse_workbook(handle)
        request.session["projects_import"] = token
        context.update(
            rows=rows,
            problems=problems,
            token=token,
            error_count=sum(1 for row in rows if row.errors),
        )
    return render(request, "projects/import.html", context)


def _respond(columns, rows, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        fmt = "json"
    content, content_type = exchange.render(columns, rows, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def export_public(request, fmt):
    """All public task data, with the filters of the list page."""
    filterset = TaskFilterSet(request.GET, queryset=Task.objects.public())
    columns, rows = exchange.public_dataset(filterset.qs)
    return _respond(columns, rows, fmt, "nhiem-vu-cong-khai")


def export_form(request, form_number, fmt):
    """Mẫu 1 (ongoing tasks, every field) and Mẫu 12 (application of results): editors."""
    if not (request.user.is_authenticated and request.user.is_editor):
        raise PermissionDenied
    if form_number == 1:
        filterset = TaskFilterSet(request.GET, queryset=Task.objects.all())
        columns, rows = exchange.form1_dataset(filterset.qs)
        return _respond(columns, rows, fmt, "mau-1-nhiem-vu-dang-tien-hanh")
    year = request.GET.get("year")
    columns, rows = exchange.form12_dataset(int(year) if year and year.isdigit() else None)
    return _respond(columns, rows, fmt, "mau-12-ung-dung-ket-qua")
