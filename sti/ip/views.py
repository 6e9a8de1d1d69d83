"""Pages of the IP register: the public list (filters, export) and a filing; the forms and
state moves of editors and the applicant organization's reporters; the spreadsheet import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.core import exports as core_exports
from sti.core import import_views
from sti.core import imports as core_imports
from sti.core.forms import attach_errors
from sti.core.statemachine import TransitionError, confirmed_in
from sti.core.validators import as_pk
from sti.ip import exports, lifecycle, services
from sti.ip.access import can_create_filing, can_edit_filing, get_filing_for_user
from sti.ip.filters import FilingFilter
from sti.ip.forms import FilingForm, MoveForm
from sti.ip.imports import FilingImporter
from sti.ip.models import Filing
from sti.projects.access import get_task_for_user
from sti.projects.models import Task

PAGE_SIZE = 25
EXPORT_LIMIT = 50_000


def _filtered(request):
    queryset = Filing.objects.visible_to(request.user).select_related(
        "applicant_organization", "task"
    )
    return FilingFilter(request.GET, queryset=queryset)


def filing_list(request):
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ip/filing_list.html",
        {"filter": filterset, "page": page, "can_create": can_create_filing(request.user)},
    )


def filing_export(request, fmt):
    filterset = _filtered(request)
    return core_exports.export_response(
        exports.COLUMNS,
        exports.rows(filterset.qs[:EXPORT_LIMIT]),
        fmt,
        "so-dang-ky-so-huu-tri-tue",
        sheet_title="Sở hữu trí tuệ",
        stream=True,
    )


def filing_detail(request, pk):
    filing = get_filing_for_user(request.user, pk)
    # The task is named only where the viewer may open it.
    task = Task.objects.visible_to(request.user).filter(pk=filing.task_id).first()
    moves = lifecycle.FILING.available_moves(request.user, filing)
    context = {
        "filing": filing,
        "task": task,
        "can_edit": can_edit_filing(request.user, filing),
        "moves": moves,
        "move_form": MoveForm(),
    }
    return render(request, "ip/filing_detail.html", context)


@login_required
def filing_create(request):
    if not can_create_filing(request.user):
        raise PermissionDenied
    initial = {}
    if as_pk(request.GET.get("task", "")):
        task = get_task_for_user(request.user, as_pk(request.GET["task"]))
        initial = {"task_code": task.code, "applicant_organization": task.host_id}
    form = FilingForm(request.POST or None, user=request.user, initial=initial)
    return _save(request, form, lambda data: services.create_filing(request.user, data))


@login_required
def filing_edit(request, pk):
    filing = get_filing_for_user(request.user, pk)
    if not can_edit_filing(request.user, filing):
        raise PermissionDenied
    form = FilingForm(request.POST or None, instance=filing, user=request.user)
    return _save(request, form, lambda data: services.update_filing(request.user, filing, data))


def _save(request, form, save):
    if request.method == "POST" and form.is_valid():
        try:
            filing = save(form.service_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(filing)
    return render(request, "ip/filing_form.html", {"form": form, "object": form.instance})


@login_required
def filing_move(request, pk):
    filing = get_filing_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if request.method != "POST" or not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ."))
        return redirect(filing)
    try:
        services.move_filing(
            request.user,
            filing,
            form.cleaned_data["target"],
            note=form.cleaned_data["note"],
            grant_number=form.cleaned_data["grant_number"],
            granted_on=form.cleaned_data["granted_on"],
            confirmed=confirmed_in(request.POST),
        )
    except TransitionError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã cập nhật trạng thái đơn."))
    return redirect(filing)


@login_required
def filing_delete(request, pk):
    filing = get_filing_for_user(request.user, pk)
    if not can_edit_filing(request.user, filing):
        raise PermissionDenied
    if request.method == "POST":
        services.delete_filing(request.user, filing)
        messages.success(request, _("Đã xóa đơn sở hữu trí tuệ."))
        return redirect("ip:filing_list")
    return render(request, "ip/filing_delete.html", {"filing": filing})


# ---------------------------------------------------------------------------
# Spreadsheet import (editors): upload → preview with row errors → confirm (all or nothing)
# ---------------------------------------------------------------------------
@editor_required
def import_upload(request):
    return import_views.upload_page(
        request, FilingImporter(), "ip/import_upload.html", preview="ip:import_preview"
    )


@editor_required
def import_template(request):
    return core_imports.template_response(FilingImporter())


@editor_required
def import_preview(request, token):
    return import_views.preview_page(
        request,
        FilingImporter(),
        token,
        upload="ip:import_upload",
        done="ip:filing_list",
        done_message=_("Đã nhập %(created)s đơn sở hữu trí tuệ."),
    )
