"""Editing a task and moving it through its lifecycle (editors; host reporters for drafts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core.statemachine import IllegalMove, confirmed_in
from sti.projects import services
from sti.projects.access import get_task_for_user
from sti.projects.forms import (
    AcceptanceForm,
    ApplicationForm,
    ProgressCheckForm,
    RegistrationFileForm,
    RegistrationForm,
    TaskForm,
    TransitionForm,
)
from sti.projects.models import ResultRegistration, Task
from sti.projects.worklist import registrations_due


def _form_page(request, form, title, task=None, multipart=False):
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": title, "task": task, "multipart": multipart},
    )


@login_required
def task_create(request):
    if not (request.user.is_editor or request.user.reporter_organization_ids()):
        raise PermissionDenied
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "fields_"}
        try:
            task = services.create_task(request.user, data, fields=form.cleaned_data["fields_"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo nhiệm vụ."))
            return redirect(task)
    return _form_page(request, form, _("Thêm nhiệm vụ KH&CN"))


@login_required
def task_edit(request, pk):
    task = get_task_for_user(request.user, pk)
    if not services.can_edit_task(request.user, task):
        raise PermissionDenied
    form = TaskForm(request.POST or None, instance=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            task = services.update_task(
                request.user, Task.objects.get(pk=pk), data, fields=form.cleaned_data["fields_"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(task)
    return _form_page(request, form, _("Sửa nhiệm vụ"), task)


@login_required
@require_POST
def task_transition(request, pk):
    task = get_task_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition_task(
                request.user,
                task.pk,
                form.cleaned_data["target"],
                note=form.cleaned_data["note"],
                effective_date=form.cleaned_data["effective_date"],
                confirmed=confirmed_in(request.POST),
            )
        except IllegalMove as error:  # a refused role (MoveForbidden) is a 403
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã chuyển trạng thái nhiệm vụ."))
    else:
        messages.error(request, _("Dữ liệu chuyển trạng thái không hợp lệ."))
    return redirect(task)


@editor_required
def progress_check(request, pk):
    task = get_task_for_user(request.user, pk)
    form = ProgressCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_progress_check(request.user, task, **form.cleaned_data)
        except IllegalMove as error:  # a refused role (MoveForbidden) is a 403
            messages.error(request, error.message)
        return redirect(task)
    return _form_page(request, form, _("Ghi nhận kiểm tra tiến độ"), task)


@editor_required
def acceptance(request, pk):
    task = get_task_for_user(request.user, pk)
    form = AcceptanceForm(request.POST or None, request.FILES or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_acceptance(request.user, task, **form.cleaned_data)
        except ValidationError as error:  # IllegalMove, UploadRejected; MoveForbidden is a 403
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã ghi nhận kết quả nghiệm thu."))
        return redirect(task)
    return _form_page(request, form, _("Ghi nhận nghiệm thu chính thức"), task, multipart=True)


@editor_required
def registration(request, pk):
    task = get_task_for_user(request.user, pk)
    instance, _created = ResultRegistration.objects.get_or_create(task=task)
    form = RegistrationForm(request.POST or None, instance=instance)
    file_form = RegistrationFileForm(request.POST or None, request.FILES or None, prefix="file")
    if request.method == "POST" and "file-file" in request.FILES and file_form.is_valid():
        services.add_registration_file(request.user, instance, **file_form.cleaned_data)
        messages.success(request, _("Đã đính kèm tệp."))
        return redirect("projects:registration", pk=task.pk)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_registration(request.user, task, data)
        except ValidationError as error:  # IllegalMove is one; MoveForbidden is a 403
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(request, _("Đã lưu hồ sơ đăng ký kết quả."))
            return redirect(task)
    return render(
        request,
        "projects/registration_form.html",
        {
            "form": form,
            "file_form": file_form,
            "task": task,
            "registration": instance,
        },
    )


@login_required
def application_add(request, pk):
    task = get_task_for_user(request.user, pk)
    if not services.can_report_application(request.user, task):
        raise PermissionDenied  # the form is not shown to someone who could not submit it
    form = ApplicationForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        services.add_application(request.user, task, form.cleaned_data)
        messages.success(request, _("Đã ghi nhận ứng dụng kết quả."))
        return redirect(task)
    return _form_page(request, form, _("Báo cáo ứng dụng kết quả (Mẫu 12)"), task)


@editor_required
def registration_board(request):
    """Accepted tasks whose Mẫu 5 registration is overdue or due soon (30 / 60 days)."""
    rows = registrations_due()
    overdue = [row for row in rows if row["days"] < 0]
    upcoming = [row for row in rows if row["days"] >= 0]
    return render(
        request, "projects/registration_board.html", {"overdue": overdue, "upcoming": upcoming}
    )
