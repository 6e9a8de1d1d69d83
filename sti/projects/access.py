"""Access helpers of the task registry: the one path pages, the API, search, exports and
catalogues use to load tasks and to decide which of their fields a viewer may read.

Who may see a task at all is `TaskQuerySet.access_rule` (models); which fields they read is
`disclosure(user, task)` below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from sti.accounts.access import get_visible_or_404
from sti.projects.choices import COMPLETED_STATES
from sti.projects.models import Proposal, Task


def get_task_for_user(user, pk) -> Task:
    return get_visible_or_404(Task, user, pk=pk)


def get_proposal_for_user(user, pk) -> Proposal:
    return get_visible_or_404(Proposal, user, pk=pk)


def sees_full_record(user, task: Task) -> bool:
    """Editors and the host organization's reporters see every field."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_editor or user.is_reporter_for(task.host_id)


def sees_evaluations(user) -> bool:
    """Experts' individual verdicts and scores are for center staff only; the public sees who
    sat on a council, not how each member voted."""
    return user is not None and user.is_authenticated and user.is_editor


@dataclass(frozen=True)
class Disclosure:
    """Which parts of a task a viewer may read (TT 14/2014 Art. 23 §2).

    Everyone who may see the task reads the fields of `PUBLIC_ONGOING_FIELDS` (title, host,
    principal, objectives, content, fields, methods, expected products, period). `results`
    adds the code, level, form, abstract and acceptance; `full` adds budgets, decision and
    contract numbers, members and the history.
    """

    results: bool
    full: bool


def disclosure(user, task: Task) -> Disclosure:
    """The one disclosure rule: page, API, search, exports and catalogues call it."""
    full = sees_full_record(user, task)
    return Disclosure(results=full or task.is_completed, full=full)


def results_disclosed_q(user) -> Q:
    """`disclosure(user, task).results` as a query condition (filters by code use it, so a
    list cannot confirm the code of a task whose results the viewer may not read)."""
    if user is not None and user.is_authenticated and user.is_editor:
        return Q()
    reporter_of = user.reporter_organization_ids() if user and user.is_authenticated else []
    return Q(status__in=COMPLETED_STATES) | Q(host_id__in=reporter_of)
