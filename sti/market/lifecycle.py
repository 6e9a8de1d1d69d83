"""The state tables of offers and demands.

Offer: draft → under review → published → hidden → expired | transferred. The owner
submits and hides; a broker (editor) publishes after review and may send it back; the
worker (SYSTEM) expires offers past their expiry date; renewing an expired offer sends it
back for review with a new date; an owner who changes the public part of a published or
hidden offer sends it back for review too (`services.update_offer`).

Demand: received → clarified → searching → proposals sent → connected → closed, taken
through by a broker; the requester may close their own demand.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import SYSTEM, StateMachine, moves
from sti.market.access import can_edit_demand, can_edit_offer, is_broker
from sti.market.choices import DemandStatus as D
from sti.market.choices import OfferStatus as O
from sti.market.models import Demand, Offer

OWNER = "owner"  # editors, the owner organization's reporters, the person who posted
BROKER = "broker"  # center staff (editors)


def offer_roles(user, offer) -> set[str]:
    roles = set()
    if can_edit_offer(user, offer):
        roles.add(OWNER)
    if is_broker(user):
        roles.add(BROKER)
    return roles


def demand_roles(user, demand) -> set[str]:
    roles = set()
    if can_edit_demand(user, demand):
        roles.add(OWNER)
    if is_broker(user):
        roles.add(BROKER)
    return roles


def _expiry_ahead(offer, context) -> str:
    expires_on = context.get("expires_on") or offer.expires_on
    if expires_on is None:
        return str(_("chưa có ngày hết hạn chào bán"))
    if expires_on <= timezone.localdate():
        return str(_("ngày hết hạn chào bán phải sau hôm nay"))
    return ""


def _has_summary(offer, context) -> str:
    return "" if offer.summary.strip() else str(_("chưa có tóm tắt công khai"))


def _stamp_offer(offer, move, context) -> None:
    if context.get("expires_on"):
        offer.expires_on = context["expires_on"]
    if move.target == O.PUBLISHED and offer.published_at is None:
        offer.published_at = timezone.now()


_OWNER = {OWNER}
_BROKER = {BROKER}
_ANY = {OWNER, BROKER}
OFFER = StateMachine(
    model=Offer,
    states=O,
    noun=_("công nghệ chào bán"),
    field="state",
    table=[
        *moves([O.DRAFT], O.UNDER_REVIEW, _("Gửi duyệt"), _ANY, _has_summary),
        *moves([O.UNDER_REVIEW], O.PUBLISHED, _("Duyệt và công bố"), _BROKER, _expiry_ahead),
        *moves([O.UNDER_REVIEW], O.DRAFT, _("Trả lại để sửa"), _ANY),
        *moves([O.PUBLISHED], O.HIDDEN, _("Tạm ẩn"), _ANY),
        *moves([O.HIDDEN], O.PUBLISHED, _("Hiện lại"), _ANY, _expiry_ahead),
        *moves([O.PUBLISHED, O.HIDDEN], O.EXPIRED, _("Hết hạn"), {SYSTEM, BROKER}),
        # Made by `services.update_offer` (no button): an owner's change to the public part
        # of a listed offer is moderated again before the catalogue shows it.
        *moves(
            [O.PUBLISHED, O.HIDDEN],
            O.UNDER_REVIEW,
            _("Phần công khai đã sửa: gửi duyệt lại"),
            {SYSTEM},
        ),
        *moves([O.EXPIRED], O.UNDER_REVIEW, _("Gia hạn (gửi duyệt lại)"), _ANY, _expiry_ahead),
        *moves(
            [O.PUBLISHED, O.HIDDEN],
            O.TRANSFERRED,
            _("Ghi nhận đã chuyển giao"),
            _ANY,
            confirm=_("Công nghệ đã chuyển giao sẽ rời khỏi danh mục chào bán."),
        ),
    ],
    roles=offer_roles,
    on_move=_stamp_offer,
)

DEMAND = StateMachine(
    model=Demand,
    states=D,
    noun=_("nhu cầu công nghệ"),
    field="state",
    table=[
        *moves([D.RECEIVED], D.CLARIFIED, _("Đã làm rõ nhu cầu"), _BROKER),
        *moves([D.CLARIFIED], D.SEARCHING, _("Bắt đầu tìm công nghệ"), _BROKER),
        *moves([D.SEARCHING], D.PROPOSALS_SENT, _("Gửi đề xuất cho bên có nhu cầu"), _BROKER),
        *moves([D.PROPOSALS_SENT], D.SEARCHING, _("Tìm thêm công nghệ"), _BROKER),
        *moves([D.PROPOSALS_SENT], D.CONNECTED, _("Đã kết nối hai bên"), _BROKER),
        *moves(
            [D.RECEIVED, D.CLARIFIED, D.SEARCHING, D.PROPOSALS_SENT, D.CONNECTED],
            D.CLOSED,
            _("Đóng nhu cầu"),
            _ANY,
            confirm=_("Nhu cầu đã đóng sẽ rời khỏi danh mục."),
        ),
    ],
    roles=demand_roles,
)
