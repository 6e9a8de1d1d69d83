"""Access helpers of the task registry: the one path pages and the API use to load objects."""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.projects.models import Proposal, Task


def get_task_for_user(user, pk) -> Task:
    return get_visible_or_404(Task, user, pk=pk)


def get_proposal_for_user(user, pk) -> Proposal:
    return get_visible_or_404(Proposal, user, pk=pk)


def sees_full_record(user, task: Task) -> bool:
    """Editors and the host organization's reporters see every field; the public sees the
    fields TT 14/2014 Art. 23 §2 allows for an ongoing task."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_editor or user.is_reporter_for(task.host_id)
