"""Spreadsheet import (preview, then atomic write) and the data-set exports, on the shared
import and export code of `sti.core`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.core import exports as core_exports
from sti.core import import_views
from sti.core import imports as core_imports
from sti.projects import exports
from sti.projects.filters import TaskFilterSet
from sti.projects.imports import TaskImporter
from sti.projects.models import Task

FORMATS = ("json", "csv", "xlsx")


@editor_required
def import_upload(request):
    """Upload → preview with every row error → confirm (all rows or none), on the shared pages."""
    return import_views.upload_page(
        request,
        TaskImporter(request.user),
        "projects/import_upload.html",
        preview="projects:import_preview",
    )


@editor_required
def import_preview(request, token):
    return import_views.preview_page(
        request,
        TaskImporter(request.user),
        token,
        upload="projects:import",
        done="projects:index",
        done_message=_("Đã nhập %(created)s nhiệm vụ."),
    )


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
