"""Access helpers of the service desk: loading a request for a viewer, by id or by its
private tracking link, and the predicates pages, the API and services share.

Who may see a request is `ServiceRequestQuerySet.access_rule`: editors and the signed-in
requester. The tracking token stands in for the requester's account: it opens the request's
requester-facing part (never internal notes) to whoever holds the link.
"""

from __future__ import annotations

from django.http import Http404

from sti.accounts.access import get_visible_or_404
from sti.core.validators import as_pk
from sti.servicedesk.choices import RequestStatus
from sti.servicedesk.models import ServiceRequest


def get_request_for_user(user, pk) -> ServiceRequest:
    return get_visible_or_404(ServiceRequest, user, pk=pk)


def get_request_by_token(token: str) -> ServiceRequest:
    """The request whose tracking link carries `token`; 404 for any other string (a wrong
    MAC and a missing request look the same)."""
    pk = as_pk(str(token or "").partition("-")[0])
    request = (
        ServiceRequest.objects.select_related("assignee").filter(pk=pk).first() if pk else None
    )
    if request is None or not request.token_matches(token):
        raise Http404
    return request


def is_editor(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_editor)


def is_requester(user, request: ServiceRequest) -> bool:
    return bool(user is not None and user.is_authenticated and request.requester_id == user.pk)


def can_handle_request(user, request: ServiceRequest) -> bool:
    """Assign, note, answer, link, move: center staff."""
    return is_editor(user)


def can_read_internal_notes(user) -> bool:
    return is_editor(user)


def can_rate_request(request: ServiceRequest) -> bool:
    """The requester rates the answer once (the caller has checked who they are)."""
    return (
        request.rating is None
        and request.status
        in (
            RequestStatus.ANSWERED,
            RequestStatus.CLOSED,
        )
        and request.first_answered_at is not None
    )


def can_write_message(request: ServiceRequest) -> bool:
    return request.status not in (
        RequestStatus.CLOSED,
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
    )
