"""The projects' queues on the editor's worklist (registered in `ProjectsConfig.ready()`)."""

from __future__ import annotations

from django.db.models import Max, Q
from django.utils import timezone

from sti.core.registries import QueueSummary, summarize
from sti.projects.choices import AcceptanceRating, ProposalStatus, RegistrationStatus, TaskStatus
from sti.projects.models import Proposal, Task, registration_due_date


def registrations_due() -> list[dict]:
    """Accepted tasks whose Mẫu 5 registration is not certified yet, by due date
    (30 days after acceptance, 60 when the results are filed as IP)."""
    passed = Q(acceptances__rating__in=[AcceptanceRating.PASSED, AcceptanceRating.EXCELLENT])
    tasks = (
        Task.objects.filter(status=TaskStatus.ACCEPTED)
        .exclude(registration__status=RegistrationStatus.CERTIFIED)
        .annotate(
            accepted_on=Max("acceptances__date", filter=passed), ip_count=Max("ip_filings__id")
        )
        .select_related("host", "registration")
    )
    today = timezone.localdate()
    rows = []
    for task in tasks:
        due = registration_due_date(task.accepted_on, bool(task.ip_count))
        if due is None:
            continue
        rows.append(
            {
                "task": task,
                "accepted_on": task.accepted_on,
                "due": due,
                "days": (due - today).days,
                "registration": getattr(task, "registration", None),
            }
        )
    rows.sort(key=lambda row: row["due"])
    return rows


def overdue_registrations(user) -> QueueSummary:
    overdue = [row for row in registrations_due() if row["days"] < 0]
    return QueueSummary(len(overdue), overdue[0]["due"] if overdue else None)


def upcoming_registrations(user) -> QueueSummary:
    upcoming = [row for row in registrations_due() if row["days"] >= 0]
    return QueueSummary(len(upcoming), min((row["accepted_on"] for row in upcoming), default=None))


def flagged_proposals(user) -> QueueSummary:
    """Proposals the duplicate check flagged, not yet decided (ordered or rejected)."""
    waiting = Proposal.objects.visible_to(user).filter(
        flagged=True, status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SEARCHED]
    )
    return summarize(waiting, "submitted_at")
