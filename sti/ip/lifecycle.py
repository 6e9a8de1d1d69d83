"""The state table of an IP filing: nộp đơn → thẩm định hình thức → cấp | từ chối | rút.

The applicant organization's reporters record the office's decisions as they arrive, as the
editors do; granting needs the title's number and date.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import StateMachine, moves
from sti.ip.access import can_edit_filing
from sti.ip.choices import FilingStatus as F
from sti.ip.models import Filing

RECORDER = "recorder"  # an editor or a reporter of the applicant organization


def filing_roles(user, filing) -> set[str]:
    return {RECORDER} if can_edit_filing(user, filing) else set()


def _needs_grant(filing, context) -> str:
    if not (context.get("grant_number") or filing.grant_number):
        return str(_("chưa có số văn bằng"))
    if not (context.get("granted_on") or filing.granted_on):
        return str(_("chưa có ngày cấp văn bằng"))
    granted_on = context.get("granted_on") or filing.granted_on
    if filing.filed_on and granted_on < filing.filed_on:
        return str(_("ngày cấp trước ngày nộp đơn"))
    return ""


def _stamp_grant(filing, move, context) -> None:
    if move.target == F.GRANTED:
        filing.grant_number = context.get("grant_number") or filing.grant_number
        filing.granted_on = context.get("granted_on") or filing.granted_on


_R = {RECORDER}
FILING = StateMachine(
    model=Filing,
    states=F,
    noun=_("đơn sở hữu trí tuệ"),
    table=[
        *moves([F.FILED], F.EXAMINED, _("Ghi nhận thẩm định hình thức"), _R),
        *moves([F.EXAMINED], F.GRANTED, _("Ghi nhận cấp văn bằng"), _R, _needs_grant),
        *moves(
            [F.EXAMINED],
            F.REFUSED,
            _("Ghi nhận từ chối cấp"),
            _R,
            confirm=_("Ghi nhận từ chối cấp văn bằng là không thể hoàn tác."),
        ),
        *moves(
            [F.FILED, F.EXAMINED],
            F.WITHDRAWN,
            _("Rút đơn"),
            _R,
            confirm=_("Đơn đã rút không thể khôi phục."),
        ),
    ],
    roles=filing_roles,
    on_move=_stamp_grant,
)
