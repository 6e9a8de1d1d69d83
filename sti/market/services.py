"""Workflows of the technology exchange. Each verb checks access itself, runs in one
transaction and writes the audit row; e-mails go out after the commit.

Offers and demands: post, edit, move through their state tables (`lifecycle.py`).
Brokerage: shortlist offers for a demand (proposals), record contacts and meetings,
expressions of interest and the owner's answer, transfer contracts.
Fairs: events, exhibitors, registrations within the capacity.
Figures: the contracts for the statistics and the home page, the brokerage funnel.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.choices import AuditAction
from sti.core.text import normalize
from sti.market import lifecycle, tasks
from sti.market.access import (
    can_answer_interest,
    can_change_poster,
    can_edit_demand,
    can_edit_offer,
    can_express_interest,
    can_post_for,
    is_broker,
)
from sti.market.choices import ActivityKind, InterestStatus, OfferStatus, TransferMethod
from sti.market.models import (
    Demand,
    DemandActivity,
    EventRegistration,
    ExpressionOfInterest,
    MarketEvent,
    Offer,
    OfferOwner,
    Proposal,
    TransferContract,
)

OFFER_FIELDS = (
    "title",
    "summary",
    "detail",
    "field",
    "trl",
    "development_level",
    "ip",
    "price_type",
    "price_vnd",
    "transfer_methods",
    "province",
    "territory",
    "test_results",
    "contact_name",
    "contact_phone",
    "contact_email",
    "owner_organization",
    "expires_on",
)
# What the catalogue shows of an offer: an owner's change to these is reviewed again.
PUBLIC_OFFER_FIELDS = {
    "title",
    "summary",
    "field",
    "trl",
    "development_level",
    "price_type",
    "price_vnd",
    "transfer_methods",
    "province",
    "territory",
    "test_results",
    "expires_on",
}
DEMAND_FIELDS = (
    "title",
    "description",
    "requirements",
    "field",
    "trl_wanted",
    "budget_min_vnd",
    "budget_max_vnd",
    "cooperation_form",
    "province",
    "organization",
    "requester_name",
    "contact_phone",
    "contact_email",
)


def _clean(data: dict, allowed) -> dict:
    return {
        key: normalize(value).strip() if isinstance(value, str) else value
        for key, value in data.items()
        if key in allowed
    }


def _pk(value):
    return getattr(value, "pk", value)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------
def _save_owners(offer: Offer, owners) -> None:
    """Replace the owners with `owners` ([{organization|person_name, share}]), shares ≤ 100%."""
    rows = [
        OfferOwner(
            offer=offer,
            organization=owner.get("organization"),
            person_name=normalize(owner.get("person_name") or "").strip(),
            share=owner["share"],
        )
        for owner in owners
        if owner.get("organization") or (owner.get("person_name") or "").strip()
    ]
    if sum(row.share for row in rows) > 100:
        raise ValidationError(_("Tổng tỷ lệ sở hữu vượt quá 100%."))
    for row in rows:
        row.full_clean(exclude=["offer"])
    offer.owners.all().delete()
    OfferOwner.objects.bulk_create(rows)


def create_offer(actor, data: dict, *, owners=None) -> Offer:
    """Post an offer (a draft) for an organization the actor reports for, or as a person."""
    data = _clean(data, OFFER_FIELDS)
    _require(
        can_post_for(actor, _pk(data.get("owner_organization"))),
        _("Bạn không có quyền đăng công nghệ cho tổ chức này."),
    )
    with transaction.atomic():
        offer = Offer(**data, created_by=actor, state=OfferStatus.DRAFT)
        offer.full_clean()
        offer.save()
        if owners:
            _save_owners(offer, owners)
        audit.record_create(actor, offer)
    return offer


def update_offer(actor, offer: Offer, data: dict, *, owners=None) -> Offer:
    """Edit an offer's data; its state changes only through `move_offer`."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        _require(can_edit_offer(actor, locked), _("Bạn không có quyền sửa công nghệ này."))
        data = _clean(data, OFFER_FIELDS)
        organization = _pk(data.get("owner_organization", locked.owner_organization_id))
        if organization != locked.owner_organization_id:
            _require(
                can_change_poster(actor, locked.owner_organization_id, organization),
                _("Chỉ cán bộ Trung tâm được đổi người đăng giữa tổ chức và cá nhân."),
            )
            _require(
                can_post_for(actor, organization),
                _("Bạn không có quyền đăng công nghệ cho tổ chức này."),
            )
        before = audit.snapshot(locked)
        public_changed = any(
            key in PUBLIC_OFFER_FIELDS and getattr(locked, key) != value
            for key, value in data.items()
        )
        for key, value in data.items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        if owners is not None:
            _save_owners(locked, owners)
        audit.record_update(actor, locked, before)
        if (
            public_changed
            and not is_broker(actor)
            and locked.state in (OfferStatus.PUBLISHED, OfferStatus.HIDDEN)
        ):
            # Moderated again: otherwise a listed offer could be rewritten into anything.
            locked = lifecycle.OFFER.move(None, locked, OfferStatus.UNDER_REVIEW, note=str(actor))
    return locked


def move_offer(
    actor, offer, target: str, *, note: str = "", expires_on: date | None = None, confirmed=True
) -> Offer:
    """Move an offer through its state table (publishing and renewing need an expiry date
    after today, given here or already on the offer)."""
    return lifecycle.OFFER.move(
        actor, offer, target, note=note, confirmed=confirmed, expires_on=expires_on
    )


# ---------------------------------------------------------------------------
# Demands
# ---------------------------------------------------------------------------
def create_demand(actor, data: dict) -> Demand:
    """Receive a demand from a registered user, for their organization or as a person."""
    data = _clean(data, DEMAND_FIELDS)
    _require(
        can_post_for(actor, _pk(data.get("organization"))),
        _("Bạn không có quyền đăng nhu cầu cho tổ chức này."),
    )
    if not data.get("organization") and not data.get("requester_name"):
        data["requester_name"] = str(actor)
    with transaction.atomic():
        demand = Demand(**data, created_by=actor)
        demand.full_clean()
        demand.save()
        audit.record_create(actor, demand)
    return demand


def update_demand(actor, demand: Demand, data: dict) -> Demand:
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        _require(can_edit_demand(actor, locked), _("Bạn không có quyền sửa nhu cầu này."))
        data = _clean(data, DEMAND_FIELDS)
        organization = _pk(data.get("organization", locked.organization_id))
        if organization != locked.organization_id:
            _require(
                can_change_poster(actor, locked.organization_id, organization),
                _("Chỉ cán bộ Trung tâm được đổi người đăng giữa tổ chức và cá nhân."),
            )
            _require(
                can_post_for(actor, organization),
                _("Bạn không có quyền đăng nhu cầu cho tổ chức này."),
            )
        before = audit.snapshot(locked)
        for key, value in data.items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        audit.record_update(actor, locked, before)
    return locked


def move_demand(actor, demand, target: str, *, note: str = "", confirmed=True) -> Demand:
    """Move a demand through its brokerage steps; the broker who first moves it takes it."""

    def take(locked):
        if locked.broker_id is None and is_broker(actor):
            locked.broker = actor

    return lifecycle.DEMAND.move(actor, demand, target, note=note, confirmed=confirmed, apply=take)


# ---------------------------------------------------------------------------
# Brokerage
# ---------------------------------------------------------------------------
def propose_offer(actor, demand: Demand, offer: Offer, note: str = "") -> Proposal:
    """A broker shortlists a published offer for a demand (a match sent to the requester)."""
    _require(is_broker(actor), _("Chỉ cán bộ môi giới được đề xuất công nghệ."))
    if offer.state != OfferStatus.PUBLISHED:
        raise ValidationError(_("Chỉ đề xuất được công nghệ đang chào bán."))
    with transaction.atomic():
        proposal, created = Proposal.objects.get_or_create(
            demand=demand,
            offer=offer,
            defaults={"note": normalize(note).strip(), "created_by": actor},
        )
        if created:
            audit.record_create(actor, proposal)
    return proposal


def record_activity(actor, demand: Demand, data: dict) -> DemandActivity:
    """A broker records a contact, a meeting or a note on a demand."""
    _require(is_broker(actor), _("Chỉ cán bộ môi giới được ghi hoạt động môi giới."))
    with transaction.atomic():
        activity = DemandActivity(
            demand=demand,
            kind=data.get("kind") or ActivityKind.NOTE,
            happened_on=data.get("happened_on") or timezone.localdate(),
            offer=data.get("offer"),
            summary=normalize(data.get("summary") or "").strip(),
            created_by=actor,
        )
        activity.full_clean()
        activity.save()
        audit.record_create(actor, activity)
    return activity


def express_interest(actor, offer: Offer, message: str, *, demand=None) -> ExpressionOfInterest:
    """A party tells the owner it is interested; the owner is told by e-mail after commit."""
    _require(
        can_express_interest(actor, offer),
        _("Bạn không thể bày tỏ quan tâm đến công nghệ này."),
    )
    message = normalize(message or "").strip()
    if not message:
        raise ValidationError(_("Hãy viết vài dòng cho chủ công nghệ."))
    organizations = actor.organization_ids()
    try:
        with transaction.atomic():
            interest = ExpressionOfInterest.objects.create(
                offer=offer,
                party=actor,
                party_organization_id=organizations[0] if organizations else None,
                demand=demand,
                message=message[:5000],
            )
            audit.record_create(actor, interest)
    except IntegrityError as error:
        raise ValidationError(
            _("Bạn đã bày tỏ quan tâm đến công nghệ này và đang chờ trả lời.")
        ) from error
    transaction.on_commit(lambda: tasks.notify_interest.enqueue(interest.pk))
    return interest


def answer_interest(actor, interest: ExpressionOfInterest, accept: bool) -> ExpressionOfInterest:
    """The owner accepts (reveals the confidential part to that party) or declines."""
    with transaction.atomic():
        locked = (
            ExpressionOfInterest.objects.select_for_update()
            .select_related("offer")
            .get(pk=interest.pk)
        )
        _require(
            can_answer_interest(actor, locked),
            _("Chỉ chủ công nghệ được trả lời bày tỏ quan tâm."),
        )
        if locked.status != InterestStatus.PENDING:
            raise ValidationError(_("Bày tỏ quan tâm này đã được trả lời."))
        target = InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED
        locked.status = target
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        audit.record(
            actor,
            AuditAction.TRANSITION,
            locked,
            {"status": [InterestStatus.PENDING, target]},
            note=str(InterestStatus(target).label),
        )
    transaction.on_commit(lambda: tasks.notify_answer.enqueue(locked.pk))
    return locked


CONTRACT_FIELDS = (
    "offer",
    "demand",
    "title",
    "transferor_organization",
    "transferor_name",
    "transferee_organization",
    "transferee_name",
    "kind",
    "methods",
    "value_vnd",
    "signed_on",
    "note",
)


def record_contract(actor, data: dict) -> TransferContract:
    """A broker records the transfer contract a deal ended in (Law 07/2017 form and
    methods, value, date); it counts in the statistics and the home figures from now."""
    _require(is_broker(actor), _("Chỉ cán bộ môi giới được ghi hợp đồng chuyển giao."))
    data = _clean(data, CONTRACT_FIELDS)
    unknown = set(data.get("methods") or []) - set(TransferMethod.values)
    if unknown:
        raise ValidationError(_("Phương thức chuyển giao không hợp lệ."))
    offer = data.get("offer")
    if offer is not None and not data.get("transferor_organization"):
        data.setdefault("transferor_organization", offer.owner_organization)
    with transaction.atomic():
        contract = TransferContract(**data, created_by=actor)
        contract.full_clean()
        contract.save()
        audit.record_create(actor, contract)
    return contract


# ---------------------------------------------------------------------------
# Fairs and demonstration days
# ---------------------------------------------------------------------------
def register_for_event(actor, event: MarketEvent, data: dict) -> EventRegistration:
    """Register for an event while seats remain (capacity 0: unlimited)."""
    name = normalize(data.get("name") or "").strip()
    phone = normalize(data.get("phone") or "").strip()
    if not name or not phone:
        raise ValidationError(_("Cần ghi họ tên và số điện thoại."))
    with transaction.atomic():
        locked = MarketEvent.objects.select_for_update().get(pk=event.pk)
        if not locked.is_published:
            raise PermissionDenied(_("Sự kiện chưa mở đăng ký."))
        if locked.ends_on < timezone.localdate():
            raise ValidationError(_("Sự kiện đã kết thúc."))
        if locked.capacity and locked.registrations.count() >= locked.capacity:
            raise ValidationError(_("Sự kiện đã đủ chỗ."))
        user = actor if actor is not None and actor.is_authenticated else None
        if user is not None and locked.registrations.filter(user=user).exists():
            raise ValidationError(_("Bạn đã đăng ký sự kiện này."))
        registration = EventRegistration.objects.create(
            event=locked,
            user=user,
            name=name[:200],
            organization_name=normalize(data.get("organization_name") or "").strip()[:300],
            phone=phone[:30],
        )
        audit.record_create(actor, registration)
    return registration


def seats_left(event: MarketEvent) -> int | None:
    if not event.capacity:
        return None
    return max(0, event.capacity - event.registrations.count())


# ---------------------------------------------------------------------------
# Figures: statistics (form 06/KHCN-CG), home page, funnel
# ---------------------------------------------------------------------------
def contract_totals(
    *,
    start: date | None = None,
    end: date | None = None,
    organization_ids=None,
    by_kind: bool = False,
) -> dict:
    """Contracts signed in [start, end] and their value in VND (for the statistics worker
    and the home page: whole register, no user filter). `organization_ids`: contracts where
    one of them is the transferor or the transferee. With `by_kind`, also per form of
    transfer (`by_kind[kind] = {count, value_vnd}`)."""
    queryset = TransferContract.objects.signed_between(start, end)
    if organization_ids is not None:
        ids = list(organization_ids)
        queryset = queryset.filter(
            Q(transferor_organization_id__in=ids) | Q(transferee_organization_id__in=ids)
        )
    row = queryset.aggregate(count=Count("pk"), value=Sum("value_vnd"))
    totals = {"count": row["count"] or 0, "value_vnd": row["value"] or 0, "by_kind": {}}
    if by_kind:
        for row in queryset.values("kind").annotate(count=Count("pk"), value=Sum("value_vnd")):
            totals["by_kind"][row["kind"]] = {"count": row["count"], "value_vnd": row["value"]}
    return totals


def contract_count(user) -> int:
    """Home figure: technology transfer contracts the exchange brokered (public totals)."""
    return contract_totals()["count"]


def published_offer_count(user) -> int:
    """Home figure: technologies on offer now."""
    return Offer.objects.visible_to(user).published().count()


def funnel(*, start: date | None = None, end: date | None = None) -> list[dict]:
    """The brokerage funnel: demands → matches → expressions of interest → meetings →
    contracts (with their value), for the editors' chart."""

    def within(queryset, field):
        if start is not None:
            queryset = queryset.filter(**{f"{field}__date__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{field}__date__lte": end})
        return queryset

    meetings = DemandActivity.objects.filter(kind=ActivityKind.MEETING)
    if start is not None:
        meetings = meetings.filter(happened_on__gte=start)
    if end is not None:
        meetings = meetings.filter(happened_on__lte=end)
    contracts = contract_totals(start=start, end=end)
    return [
        {
            "step": "demands",
            "label": _("Nhu cầu"),
            "count": within(Demand.objects, "created_at").count(),
        },
        {
            "step": "matches",
            "label": _("Đề xuất công nghệ"),
            "count": within(Proposal.objects, "created_at").count(),
        },
        {
            "step": "interests",
            "label": _("Bày tỏ quan tâm"),
            "count": within(ExpressionOfInterest.objects, "created_at").count(),
        },
        {"step": "meetings", "label": _("Gặp gỡ, kết nối"), "count": meetings.count()},
        {
            "step": "contracts",
            "label": _("Hợp đồng"),
            "count": contracts["count"],
            "value_vnd": contracts["value_vnd"],
        },
    ]


def save_event(actor, form) -> MarketEvent:
    """Create or edit a fair from its validated form (editors)."""
    _require(is_broker(actor), _("Chỉ cán bộ của Trung tâm được tạo sự kiện."))
    with transaction.atomic():
        creating = form.instance.pk is None
        before = None if creating else audit.snapshot(MarketEvent.objects.get(pk=form.instance.pk))
        event = form.save()
        if creating:
            audit.record_create(actor, event)
        else:
            audit.record_update(actor, event, before)
    return event
