"""The service desk's queues on the editor's worklist (registered in `ready()`)."""

from __future__ import annotations

from django.utils import timezone

from sti.core.registries import QueueSummary, summarize
from sti.servicedesk.choices import RequestStatus
from sti.servicedesk.models import ServiceRequest


def unassigned(user) -> QueueSummary:
    """New requests nobody has taken yet, since the oldest arrived."""
    return summarize(
        ServiceRequest.objects.visible_to(user).filter(status=RequestStatus.RECEIVED),
        "received_at",
    )


def overdue(user) -> QueueSummary:
    """Open requests past their due date, since the earliest fell due."""
    return summarize(
        ServiceRequest.objects.visible_to(user).overdue(timezone.localdate()), "due_on"
    )
