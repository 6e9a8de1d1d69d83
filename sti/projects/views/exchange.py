"""Spreadsheet import (preview, then atomic write) and the data-set exports, on the shared
import and export code of `sti.core`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.core import exports as core_exports
from sti.core import imports as core_imports
from sti.projects import exports
from sti.projects.filters import TaskFilterSet
from sti.projects.forms import ImportForm
from sti.projects.imports import TaskImporter
from sti.projects.models import Task

FORMATS = ("json", "csv", "xlsx")


@editor_required
def import_tasks(request):
    """Step 1: upload and preview with row errors. Step 2 (confirm): write all or nothing."""
    importer = TaskImporter(request.user)
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST.get("token", "")
        stash = core_imports.load_stash(token, user=request.user, kind=importer.kind)
        if stash is None:
            messages.error(request, _("Phiên nhập dữ liệu đã hết hạn; vui lòng tải tệp lên lại."))
            return redirect("projects:import")
        path, meta = stash
        try:
            counts = importer.apply(request.user, importer.parse(path), filename=meta["filename"])
        except core_imports.ImportRejected as error:
            messages.error(request, str(error))
            return redirect("projects:import")
        core_imports.discard_stash(token)
        messages.success(request, _("Đã nhập %(n)s nhiệm vụ.") % {"n": counts["created"]})
        return redirect("projects:index")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        token = core_imports.accept_upload(form, "file", user=request.user, kind=importer.kind)
        if token:
            result = importer.parse(form.cleaned_data["file"])
            context.update(
                rows=result.rows,
                problems=result.file_errors,
                token=token,
                error_count=result.error_rows,
            )
    return render(request, "projects/import.html", context)


@editor_required
def import_template(request):
    return core_imports.template_response(TaskImporter(request.user))


def _respond(columns, rows, fmt: str, name: str) -> HttpResponse:
    return core_exports.export_response(
        columns, rows, fmt if fmt in FORMATS else "json", name, sheet_title="Nhiệm vụ"
    )


def export_public(request, fmt):
    """All public task data, with the filters of the list page."""
    filterset = TaskFilterSet(request.GET, queryset=Task.objects.public(), viewer=None)
    columns, rows = exports.public_dataset(filterset.qs)
    return _respond(columns, rows, fmt, "nhiem-vu-cong-khai")


def export_form(request, form_number, fmt):
    """Mẫu 1 (ongoing tasks, every field) and Mẫu 12 (application of results): editors."""
    if not (request.user.is_authenticated and request.user.is_editor):
        raise PermissionDenied
    if form_number == 1:
        filterset = TaskFilterSet(request.GET, queryset=Task.objects.all(), viewer=request.user)
        columns, rows = exports.form1_dataset(filterset.qs, request.user)
        return _respond(columns, rows, fmt, "mau-1-nhiem-vu-dang-tien-hanh")
    year = request.GET.get("year")
    columns, rows = exports.form12_dataset(int(year) if year and year.isdigit() else None)
    return _respond(columns, rows, fmt, "mau-12-ung-dung-ket-qua")
