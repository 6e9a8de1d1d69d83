"""Workflows of the technology exchange. Each verb checks access itself, runs in one
transaction and writes the audit row; e-mails go out after the commit.

Offers and demands: post, edit, move through their state tables (`lifecycle.py`).
Brokerage: shortlist offers for a demand (proposals), record contacts and meetings,
expressions of interest and the owner's answer, transfer contracts.
Fairs: events, exhibitors, registrations within the capacity.
Figures: the contracts for the statistics and the home page, the brokerage funnel.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit, uploads
from sti.core import jobs as core_jobs
from sti.core.choices import AuditAction
from sti.core.models import TrackedJob
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
from sti.market.choices import (
    ActivityKind,
    ExhibitorStatus,
    InterestStatus,
    OfferStatus,
    TransferMethod,
)
from sti.market.models import (
    CatalogueBuild,
    Demand,
    DemandActivity,
    DemandFile,
    EventRegistration,
    Exhibitor,
    ExpressionOfInterest,
    MarketEvent,
    Offer,
    OfferImage,
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
# Pictures of an offer, files of a demand
# ---------------------------------------------------------------------------
MAX_OFFER_IMAGES = 8
MAX_DEMAND_FILES = 8
OFFER_IMAGE_TYPES = uploads.WEB_IMAGES  # shown in the page: what every browser displays
DEMAND_FILE_TYPES = uploads.DOCUMENTS  # PDF, DOCX, pictures (PNG, JPEG, TIFF)
MAX_ATTACHMENT_MB = 10


@contextlib.contextmanager
def _files_removed_on_failure():
    """Files written inside the block are deleted again if the block (its transaction)
    fails: a refused edit leaves no file behind."""
    written: list = []
    try:
        yield written
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def _caption(name: str) -> str:
    return normalize(Path(str(name)).stem).strip()[:300]


def _attach(actor, parent, uploaded, *, model, fields: tuple, accept, limit, written, remove):
    """Store `uploaded` files on `parent` and delete its rows in `remove`, one audit row per
    file; True when anything changed. Each file is checked again by content and size (the
    API and scripts reach here without the form); a removed row's file is deleted after
    the commit, a written one again if the transaction fails (`written`). `fields`: the
    row's field naming the parent and its file field."""
    parent_field, file_field = fields
    rows = model.objects.filter(**{parent_field: parent})
    removed = list(rows.filter(pk__in=[_pk(row) for row in remove]))
    if rows.count() - len(removed) + len(uploaded) > limit:
        raise ValidationError(_("Tối đa %(n)s tệp cho mỗi tin đăng.") % {"n": limit})
    for row in removed:
        stored = getattr(row, file_field)
        audit.record_delete(actor, row)
        row.delete()
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))
    for upload in uploaded:
        uploads.check_size(upload, MAX_ATTACHMENT_MB * 1024 * 1024)
        uploads.check_uploaded(upload, accept=accept)
        row = model(**{parent_field: parent, "caption": _caption(upload.name)})
        stored = getattr(row, file_field)
        stored.save(upload.name, upload, save=False)
        written.append(stored)
        row.save()
        audit.record_create(actor, row)
    return bool(uploaded or removed)


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


def _offer_images(actor, offer, images, remove, written) -> bool:
    return _attach(
        actor,
        offer,
        list(images or []),
        model=OfferImage,
        fields=("offer", "image"),
        accept=OFFER_IMAGE_TYPES,
        limit=MAX_OFFER_IMAGES,
        written=written,
        remove=remove or (),
    )


def create_offer(actor, data: dict, *, owners=None, images=()) -> Offer:
    """Post an offer (a draft) for an organization the actor reports for, or as a person,
    with its pictures (PNG/JPEG): all of it or, on any refusal, nothing."""
    data = _clean(data, OFFER_FIELDS)
    _require(
        can_post_for(actor, _pk(data.get("owner_organization"))),
        _("Bạn không có quyền đăng công nghệ cho tổ chức này."),
    )
    with _files_removed_on_failure() as written, transaction.atomic():
        offer = Offer(**data, created_by=actor, state=OfferStatus.DRAFT)
        offer.full_clean()
        offer.save()
        if owners:
            _save_owners(offer, owners)
        audit.record_create(actor, offer)
        _offer_images(actor, offer, images, (), written)
    return offer


def update_offer(
    actor, offer: Offer, data: dict, *, owners=None, images=(), remove_images=()
) -> Offer:
    """Edit an offer's data and pictures; its state changes only through `move_offer`."""
    with _files_removed_on_failure() as written, transaction.atomic():
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
        # Pictures are public: adding or removing one changes the public part too.
        public_changed |= _offer_images(actor, locked, images, remove_images, written)
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
def _demand_files(actor, demand, files, remove, written) -> bool:
    return _attach(
        actor,
        demand,
        list(files or []),
        model=DemandFile,
        fields=("demand", "file"),
        accept=DEMAND_FILE_TYPES,
        limit=MAX_DEMAND_FILES,
        written=written,
        remove=remove or (),
    )


def create_demand(actor, data: dict, *, files=()) -> Demand:
    """Receive a demand from a registered user, for their organization or as a person, with
    its files (PDF, DOCX, pictures; seen by the requester's side and brokers only)."""
    data = _clean(data, DEMAND_FIELDS)
    _require(
        can_post_for(actor, _pk(data.get("organization"))),
        _("Bạn không có quyền đăng nhu cầu cho tổ chức này."),
    )
    if not data.get("organization") and not data.get("requester_name"):
        data["requester_name"] = str(actor)
    with _files_removed_on_failure() as written, transaction.atomic():
        demand = Demand(**data, created_by=actor)
        demand.full_clean()
        demand.save()
        audit.record_create(actor, demand)
        _demand_files(actor, demand, files, (), written)
    return demand


def update_demand(actor, demand: Demand, data: dict, *, files=(), remove_files=()) -> Demand:
    with _files_removed_on_failure() as written, transaction.atomic():
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
        _demand_files(actor, locked, files, remove_files, written)
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


def exhibitable_offers(user):
    """The published offers `user` may show at a fair: their organization's or their own
    (an editor: every published offer)."""
    offers = Offer.objects.published().select_related("owner_organization")
    if is_broker(user):
        return offers
    if user is None or not user.is_authenticated:
        return offers.none()
    return offers.filter(
        Q(owner_organization_id__in=user.reporter_organization_ids())
        | Q(owner_organization__isnull=True, created_by=user)
    )


def apply_to_exhibit(actor, event: MarketEvent, offers, *, booth: str = "") -> Exhibitor:
    """An offer's owner applies to show published offers at a fair (the center accepts);
    an editor adding them accepts at once and may give the booth. Offers of one owner per
    exhibitor: applying again adds offers to the same exhibitor."""
    offers = list(offers)
    if not offers:
        raise ValidationError(_("Chọn ít nhất một công nghệ để trưng bày."))
    broker = is_broker(actor)
    for offer in offers:
        _require(
            offer.state == OfferStatus.PUBLISHED and can_edit_offer(actor, offer),
            _("Chỉ chủ công nghệ đang chào bán được đăng ký trưng bày."),
        )
    owners = {(offer.owner_organization_id, offer.created_by_id) for offer in offers}
    organization_ids = {organization for organization, _person in owners}
    if len(organization_ids) > 1 or (None in organization_ids and len(owners) > 1):
        raise ValidationError(_("Các công nghệ của một đơn vị trưng bày phải cùng chủ sở hữu."))
    first = offers[0]
    with transaction.atomic():
        locked = MarketEvent.objects.select_for_update().get(pk=event.pk)
        _require(locked.is_published or broker, _("Sự kiện chưa mở đăng ký."))
        if locked.ends_on < timezone.localdate():
            raise ValidationError(_("Sự kiện đã kết thúc."))
        if first.owner_organization_id:
            existing = locked.exhibitors.filter(organization_id=first.owner_organization_id)
            name = first.owner_organization.name
        else:
            existing = locked.exhibitors.filter(
                organization__isnull=True, applied_by_id=first.created_by_id
            )
            name = str(first.created_by or actor)
        exhibitor = existing.first()
        if exhibitor is None:
            exhibitor = Exhibitor.objects.create(
                event=locked,
                organization_id=first.owner_organization_id,
                name=name[:300],
                booth=normalize(booth).strip()[:30] if broker else "",
                status=ExhibitorStatus.ACCEPTED if broker else ExhibitorStatus.APPLIED,
                applied_by=actor,
            )
            exhibitor.offers.set(offers)
            audit.record_create(actor, exhibitor, m2m=["offers"])
            return exhibitor
        before = audit.snapshot(exhibitor, m2m=["offers"])
        exhibitor.offers.add(*offers)
        if broker:
            exhibitor.status = ExhibitorStatus.ACCEPTED
            exhibitor.booth = normalize(booth).strip()[:30] or exhibitor.booth
        elif exhibitor.status == ExhibitorStatus.DECLINED:
            exhibitor.status = ExhibitorStatus.APPLIED  # asked again: the center decides again
        exhibitor.save(update_fields=["status", "booth"])
        audit.record_update(actor, exhibitor, before)
    return exhibitor


def decide_exhibitor(actor, exhibitor: Exhibitor, accept: bool, *, booth: str = "") -> Exhibitor:
    """An editor accepts (with a booth) or declines an application to exhibit."""
    _require(is_broker(actor), _("Chỉ cán bộ của Trung tâm được duyệt đơn vị trưng bày."))
    with transaction.atomic():
        locked = Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)
        before = audit.snapshot(locked)
        locked.status = ExhibitorStatus.ACCEPTED if accept else ExhibitorStatus.DECLINED
        if booth:
            locked.booth = normalize(booth).strip()[:30]
        locked.save(update_fields=["status", "booth"])
        audit.record_update(actor, locked, before)
    return locked


CATALOGUE_JOB = "market.catalogue"


def request_catalogue(actor, event: MarketEvent) -> CatalogueBuild:
    """Queue the printable exhibitor catalogue of `event` (editors); while one is queued or
    running, that one is returned instead of a second."""
    _require(is_broker(actor), _("Chỉ cán bộ của Trung tâm được tạo danh mục in."))
    with transaction.atomic():
        locked = MarketEvent.objects.select_for_update().get(pk=event.pk)
        running = (
            locked.catalogue_builds.filter(job__in=TrackedJob.objects.active())
            .select_related("job")
            .first()
        )
        if running is not None:
            return running
        build = CatalogueBuild.objects.create(event=locked, requested_by=actor)
        build.job = core_jobs.create(
            CATALOGUE_JOB, target=build, label=str(build), requested_by=actor
        )
        build.save(update_fields=["job"])
        audit.record(actor, AuditAction.EXPORT, build, note=str(build))
        core_jobs.enqueue(build.job, tasks.build_catalogue, build.pk)
    return build


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
