"""Publications (công bố) of a task: add, edit, remove (IP filings: the IP register, sti.ip).

Allowed to whoever may edit the task (editors; host reporters while it is a draft).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sti.directory.models import Researcher
from sti.projects import services
from sti.projects.access import get_task_for_user
from sti.projects.forms import PublicationForm
from sti.projects.models import Publication, Task


def _editable_task(user, pk) -> Task:
    task = get_task_for_user(user, pk)
    if not services.can_report_results(user, task):
        raise PermissionDenied
    return task


def _editable(model, user, pk):
    """A publication of a task the user may see and edit (404 if unseen, 403 if read-only)."""
    item = get_object_or_404(
        model.objects.select_related("task"), pk=pk, task__in=Task.objects.visible_to(user)
    )
    if not services.can_report_results(user, item.task):
        raise PermissionDenied
    return item


def _save(request, form, task, title, save):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(task)
    return render(request, "projects/form.html", {"form": form, "title": title, "task": task})


def _publication_data(cleaned: dict) -> tuple[dict, list]:
    data = {key: value for key, value in cleaned.items() if key != "researchers"}
    return data, list(cleaned.get("researchers") or [])


@login_required
def publication_add(request, pk):
    task = _editable_task(request.user, pk)
    form = PublicationForm(request.POST or None, user=request.user)

    def save(cleaned):
        data, researchers = _publication_data(cleaned)
        services.add_publication(request.user, task, data, researchers=researchers)

    return _save(request, form, task, _("Thêm công bố"), save)


@login_required
def publication_edit(request, pk):
    publication = _editable(Publication, request.user, pk)
    form = PublicationForm(request.POST or None, instance=publication, user=request.user)

    # Co-authors whose profiles this user cannot see are kept, not silently dropped.
    hidden = list(
        publication.researchers.exclude(
            pk__in=Researcher.objects.visible_to(request.user).values("pk")
        )
    )

    def save(cleaned):
        data, researchers = _publication_data(cleaned)
        services.update_publication(
            request.user, Publication.objects.get(pk=pk), data, researchers=researchers + hidden
        )

    return _save(request, form, publication.task, _("Sửa công bố"), save)


@login_required
def publication_delete(request, pk):
    publication = _editable(Publication, request.user, pk)
    if request.method == "POST":
        services.delete_publication(request.user, publication)
        messages.success(request, _("Đã xóa công bố."))
        return redirect(publication.task)
    return render(
        request, "projects/confirm_delete.html", {"object": publication, "task": publication.task}
    )
