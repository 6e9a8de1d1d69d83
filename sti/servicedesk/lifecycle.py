"""The lifecycle of a service request, on the shared state-machine code.

received → assigned → in progress ⇄ waiting for the requester → answered → closed; a request
still open may be rejected (with a reason) by staff or withdrawn by its requester; an answered
request may be reopened by a requester who is not satisfied, within `reopen_days()` of the
answer and before rating it. Editors hold EDITOR; the signed-in requester holds REQUESTER;
someone holding the private tracking link acts through the services with actor None, which
holds SYSTEM (the services check the token first). `REQUEST.move` is the only writer of the
status.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import SYSTEM, StateMachine, moves
from sti.servicedesk.choices import RequestStatus as S
from sti.servicedesk.models import ServiceRequest

EDITOR = "editor"
REQUESTER = "requester"


def reopen_days() -> int:
    return int(getattr(settings, "STI_SERVICEDESK_REOPEN_DAYS", 14))


def request_roles(user, request) -> set[str]:
    roles = set()
    if user.is_editor:
        roles.add(EDITOR)
    if request.requester_id is not None and request.requester_id == user.pk:
        roles.add(REQUESTER)
    return roles


def _has_assignee(request, context) -> str:
    assignee = context.get("assignee", request.assignee)
    return "" if assignee is not None else str(_("Hãy chọn cán bộ xử lý."))


def _has_answer(request, context) -> str:
    answer = context.get("answer", request.answer)
    return "" if (answer or "").strip() else str(_("Hãy nhập nội dung trả lời."))


def _has_reason(request, context) -> str:
    return "" if (context.get("note") or "").strip() else str(_("Hãy nêu lý do."))


def _within_reopen_window(request, context) -> str:
    if request.rating is not None:
        return str(_("Yêu cầu đã được đánh giá nên không thể mở lại."))
    if request.answered_at and timezone.now() > request.answered_at + timedelta(days=reopen_days()):
        return str(
            _("Chỉ mở lại được trong vòng %(days)s ngày sau khi nhận trả lời.")
            % {"days": reopen_days()}
        )
    return ""


def _stamp(request, move, context) -> None:
    now = timezone.now()
    if move.target == S.ASSIGNED:
        request.assignee = context.get("assignee", request.assignee)
        request.assigned_at = now
    elif move.target == S.ANSWERED:
        request.answer = context.get("answer", request.answer)
        request.answered_at = now
        if request.first_answered_at is None:
            request.first_answered_at = now
    elif move.target in (S.CLOSED, S.REJECTED, S.WITHDRAWN):
        request.closed_at = now
        if move.target == S.REJECTED:
            request.rejection_reason = context.get("note", "")
    elif move.source == S.ANSWERED and move.target == S.IN_PROGRESS:
        request.reopen_count += 1


_ED = {EDITOR}
_REQ = {REQUESTER, SYSTEM}
_WORKING = [S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.WAITING]

REQUEST = StateMachine(
    model=ServiceRequest,
    states=S,
    noun=_("yêu cầu"),
    table=[
        *moves([S.RECEIVED], S.ASSIGNED, _("Phân công"), _ED, _has_assignee),
        *moves([S.ASSIGNED], S.IN_PROGRESS, _("Bắt đầu xử lý"), _ED),
        *moves([S.IN_PROGRESS], S.WAITING, _("Chờ người yêu cầu bổ sung"), _ED),
        *moves([S.WAITING], S.IN_PROGRESS, _("Tiếp tục xử lý"), _ED | _REQ),
        *moves([S.ASSIGNED, S.IN_PROGRESS, S.WAITING], S.ANSWERED, _("Trả lời"), _ED, _has_answer),
        *moves([S.ANSWERED], S.CLOSED, _("Đóng yêu cầu"), _ED | _REQ),
        *moves(
            [S.ANSWERED], S.IN_PROGRESS, _("Mở lại (chưa hài lòng)"), _REQ, _within_reopen_window
        ),
        *moves(
            _WORKING,
            S.REJECTED,
            _("Từ chối"),
            _ED,
            _has_reason,
            confirm=_("yêu cầu bị từ chối không thể xử lý tiếp."),
        ),
        *moves(
            _WORKING,
            S.WITHDRAWN,
            _("Rút yêu cầu"),
            _REQ,
            confirm=_("yêu cầu đã rút không thể mở lại."),
        ),
    ],
    roles=request_roles,
    on_move=_stamp,
)

# Moves a requester makes from the tracking page or their own request page.
REQUESTER_TARGETS = (S.IN_PROGRESS, S.CLOSED, S.WITHDRAWN)
