"""Who may see and change the technology exchange's records.

The record-level rule of each model is its QuerySet's `access_rule` (models.py): everyone
sees published offers and clarified demands; the owner organization's members and the
person who posted see their own in any state; editors (brokers) see all.

An offer's confidential part (its detail, its owners with their shares, its contact) is a
second, narrower rule, `can_see_confidential`: the owner organization's members, the person
who posted, editors, and a party whose expression of interest the owner ACCEPTED. Pages,
the API and exports read the confidential part only through `confidential_view`.

Posting and editing: a user posts for an organization they report for (a plain member
reads, and may not post or edit), or as a person (then only they and the editors edit).
"""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.market.choices import InterestStatus, OfferStatus
from sti.market.models import (
    Demand,
    ExpressionOfInterest,
    MarketEvent,
    Offer,
    TransferContract,
)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def is_broker(user) -> bool:
    """Center staff who moderate the catalogue and take demands through brokerage."""
    return _signed_in(user) and user.is_editor


# ---------------------------------------------------------------------------
# Getting records
# ---------------------------------------------------------------------------
def get_offer_for_user(user, pk) -> Offer:
    return get_visible_or_404(Offer, user, pk=pk)


def get_demand_for_user(user, pk) -> Demand:
    return get_visible_or_404(Demand, user, pk=pk)


def get_interest_for_user(user, pk) -> ExpressionOfInterest:
    return get_visible_or_404(ExpressionOfInterest, user, pk=pk)


def get_contract_for_user(user, pk) -> TransferContract:
    return get_visible_or_404(TransferContract, user, pk=pk)


def get_event_for_user(user, pk) -> MarketEvent:
    return get_visible_or_404(MarketEvent, user, pk=pk)


# ---------------------------------------------------------------------------
# Posting and editing
# ---------------------------------------------------------------------------
def can_post_for(user, organization_id) -> bool:
    """Whether `user` may post for the organization (None: as a person)."""
    if not _signed_in(user):
        return False
    if user.is_editor or organization_id is None:
        return True
    return user.is_reporter_for(organization_id)


def _owns(user, organization_id, created_by_id) -> bool:
    if not _signed_in(user):
        return False
    if user.is_editor:
        return True
    if organization_id is not None:
        return user.is_reporter_for(organization_id)
    return created_by_id == user.pk


def can_change_poster(user, current_organization_id, new_organization_id) -> bool:
    """Whether `user` may move a posting between "for an organization" and "as a person"
    (either way): only editors. An organization's reporter who could turn its offer into
    their own person's posting would take it away from the organization's other members."""
    if (current_organization_id is None) == (new_organization_id is None):
        return True
    return is_broker(user)


def can_edit_offer(user, offer: Offer) -> bool:
    """Editors; the owner organization's reporters; the person who posted it as a person."""
    return _owns(user, offer.owner_organization_id, offer.created_by_id)


def can_edit_demand(user, demand: Demand) -> bool:
    return _owns(user, demand.organization_id, demand.created_by_id)


def is_offer_owner_side(user, offer: Offer) -> bool:
    """The owner organization's members (plain ones included) and the person who posted."""
    if not _signed_in(user):
        return False
    if offer.created_by_id == user.pk:
        return True
    return offer.owner_organization_id is not None and (
        offer.owner_organization_id in user.organization_ids()
    )


# ---------------------------------------------------------------------------
# The confidential part of an offer
# ---------------------------------------------------------------------------
def accepted_party(user, offer: Offer) -> bool:
    """Whether the owner accepted an expression of interest of `user` in `offer`."""
    if not _signed_in(user):
        return False
    return ExpressionOfInterest.objects.filter(
        offer_id=offer.pk, party_id=user.pk, status=InterestStatus.ACCEPTED
    ).exists()


def can_see_confidential(user, offer: Offer) -> bool:
    if not _signed_in(user):
        return False
    if user.is_editor or is_offer_owner_side(user, offer):
        return True
    return accepted_party(user, offer)


def confidential_view(user, offer: Offer) -> dict | None:
    """The confidential part of `offer` for `user`, or None when they may not see it."""
    if not can_see_confidential(user, offer):
        return None
    return {
        "detail": offer.detail,
        "owners": [
            {"name": str(owner).rsplit(" (", 1)[0], "share": owner.share}
            for owner in offer.owners.select_related("organization")
        ],
        "owner_organization": offer.owner_organization.name if offer.owner_organization_id else "",
        "contact_name": offer.contact_name,
        "contact_phone": offer.contact_phone,
        "contact_email": offer.contact_email,
    }


def can_see_requester(user, demand: Demand) -> bool:
    """A demand's requester and contact: the requester's side and the brokers."""
    if not _signed_in(user):
        return False
    if user.is_editor or demand.created_by_id == user.pk:
        return True
    return demand.organization_id is not None and demand.organization_id in (
        user.organization_ids()
    )


# ---------------------------------------------------------------------------
# Expressions of interest
# ---------------------------------------------------------------------------
def can_express_interest(user, offer: Offer) -> bool:
    """A signed-in user outside the owner's side and outside the center's brokers (who
    already see the confidential part and broker the deal), on a published offer."""
    return (
        _signed_in(user)
        and not is_broker(user)
        and offer.state == OfferStatus.PUBLISHED
        and not is_offer_owner_side(user, offer)
    )


def can_answer_interest(user, interest: ExpressionOfInterest) -> bool:
    """The owner decides: its organization's reporters, the person who posted, editors."""
    return can_edit_offer(user, interest.offer)
