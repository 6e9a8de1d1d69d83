"""Stored files of a task (acceptance minutes, result-registration files), served through
the task's access rule: never from /media/, which production does not serve and which would
check nobody."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sti.accounts.access import editor_required
from sti.core.downloads import ranged_file_response
from sti.projects.access import disclosure, get_task_for_user
from sti.projects.models import RegistrationFile


def _send(request, stored):
    if not stored:
        raise Http404
    name = Path(stored.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return ranged_file_response(request, stored, content_type, filename=name)


def acceptance_minutes(request, pk):
    """The minutes of a task's latest acceptance: for those who see the full record."""
    task = get_task_for_user(request.user, pk)
    if not disclosure(request.user, task).full:
        raise PermissionDenied
    acceptance = task.acceptances.order_by("-date").first()
    return _send(request, acceptance.minutes if acceptance else None)


@editor_required
def registration_file(request, pk):
    """A file of a result registration (Mẫu 5), for the staff who keep the registration."""
    attached = get_object_or_404(RegistrationFile.objects.select_related("registration"), pk=pk)
    get_task_for_user(request.user, attached.registration.task_id)
    return _send(request, attached.file)
