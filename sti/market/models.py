"""The technology exchange (sàn giao dịch công nghệ): offers (chào bán) and demands (nhu
cầu), the brokerage that takes a demand to a transfer contract, and fairs.

What the catalogue shows of an offer is its public part (title, summary, field, TRL, price,
transfer methods, territory). Its confidential detail, its owners and its contact are read
only through `sti.market.access.can_see_confidential` (the owner organization's members,
editors, and a party whose expression of interest the owner accepted); the search index and
the API never carry them (`sti.market.search`, `sti.market.api`).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.access import MEMBER, PUBLIC, USER, AccessQuerySet, AccessRule, Grant
from sti.core.models import ChoiceLabelsMixin, FieldOfScience
from sti.core.reports import per_period, within
from sti.market.choices import (
    ActivityKind,
    CooperationKind,
    DemandStatus,
    DevelopmentLevel,
    EventKind,
    ExhibitorStatus,
    InterestStatus,
    OfferStatus,
    PriceKind,
    Province,
    TransferKind,
)
from sti.publishing.models import BuiltPublication

# The demands the public catalogue lists: clarified by a broker and not yet closed.
PUBLIC_DEMAND_STATES = (
    DemandStatus.CLARIFIED,
    DemandStatus.SEARCHING,
    DemandStatus.PROPOSALS_SENT,
    DemandStatus.CONNECTED,
)
TRL_CHOICES = [(n, str(n)) for n in range(1, 10)]


def _user_fk(related_name: str, verbose_name, **extra):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        verbose_name=verbose_name,
        **extra,
    )


def _organization_fk(related_name: str, verbose_name):
    return models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
    )


# ---------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------
class OfferQuerySet(AccessQuerySet):
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=Q(state=OfferStatus.PUBLISHED)),
            Grant(MEMBER, field="owner_organization_id"),
            Grant(USER, field="created_by_id"),
        ]
    )

    def published(self):
        return self.filter(state=OfferStatus.PUBLISHED)

    def due_to_expire(self, today):
        """Published or hidden offers whose expiry date has passed (the worker expires them)."""
        return self.filter(
            state__in=(OfferStatus.PUBLISHED, OfferStatus.HIDDEN), expires_on__lt=today
        )

    def editable_by(self, user):
        """The offers `user` posted or may post for (the "my postings" page)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(created_by=user) | Q(owner_organization_id__in=user.organization_ids())
        )


class Offer(ChoiceLabelsMixin, models.Model):
    """A technology offered for transfer (chào bán công nghệ)."""

    title = models.CharField(_("tên công nghệ"), max_length=300)
    summary = models.TextField(
        _("tóm tắt công khai"), help_text=_("Ai cũng đọc được: công nghệ làm được gì, cho ai.")
    )
    detail = models.TextField(
        _("thông tin chi tiết (bảo mật)"),
        blank=True,
        help_text=_(
            "Quy trình, thông số, bí quyết: chỉ hiện cho bên quan tâm khi chủ công nghệ chấp nhận."
        ),
    )
    field = models.ForeignKey(
        FieldOfScience,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_offers",
        verbose_name=_("lĩnh vực KH&CN"),
    )
    trl = models.PositiveSmallIntegerField(
        _("mức sẵn sàng công nghệ (TRL)"), null=True, blank=True, choices=TRL_CHOICES
    )
    development_level = models.CharField(
        _("mức độ phát triển"), max_length=20, choices=DevelopmentLevel.choices, blank=True
    )
    ip = models.ForeignKey(
        "ip.Filing",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="market_offers",
        verbose_name=_("tài sản trí tuệ"),
    )
    price_type = models.CharField(
        _("hình thức giá"), max_length=20, choices=PriceKind.choices, default=PriceKind.NEGOTIABLE
    )
    price_vnd = models.BigIntegerField(_("giá (đồng)"), null=True, blank=True)
    transfer_methods = models.JSONField(
        _("phương thức chuyển giao"),
        default=list,
        blank=True,
        help_text=_("Theo Điều 6 Luật Chuyển giao công nghệ 07/2017/QH14."),
    )
    province = models.CharField(
        _("địa bàn"), max_length=10, choices=Province.choices, default=Province.CAN_THO
    )
    territory = models.CharField(_("phạm vi, giới hạn chuyển giao"), max_length=300, blank=True)
    test_results = models.TextField(_("kết quả thử nghiệm, ứng dụng"), blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    owner_organization = _organization_fk("market_offers", _("tổ chức sở hữu"))
    created_by = _user_fk("market_offers", _("người đăng"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    expires_on = models.DateField(_("hết hạn chào bán"), null=True, blank=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("công nghệ chào bán")
        verbose_name_plural = _("công nghệ chào bán")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_on"], name="market_offer_state_exp")]
        constraints = [
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9),
                name="market_offer_trl_range",
            ),
            models.CheckConstraint(
                condition=Q(price_vnd__isnull=True) | Q(price_vnd__gte=0),
                name="market_offer_price_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:offer_detail", args=[self.pk])

    def transfer_method_labels(self) -> list[str]:
        from sti.market.choices import TransferMethod

        labels = dict(TransferMethod.choices)
        return [str(labels.get(value, value)) for value in self.transfer_methods or []]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from sti.market.choices import TransferMethod

        unknown = set(self.transfer_methods or []) - set(TransferMethod.values)
        if unknown:
            raise ValidationError({"transfer_methods": _("Phương thức chuyển giao không hợp lệ.")})
        if self.price_type == PriceKind.FIXED and not self.price_vnd:
            raise ValidationError({"price_vnd": _("Giá chào bán cố định cần ghi số tiền.")})


class OfferOwner(models.Model):
    """An owner of the offered technology and its share (đồng sở hữu), confidential."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="owners", verbose_name=_("công nghệ")
    )
    organization = _organization_fk("market_offer_shares", _("tổ chức"))
    person_name = models.CharField(_("cá nhân"), max_length=200, blank=True)
    share = models.DecimalField(_("tỷ lệ sở hữu (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("chủ sở hữu công nghệ")
        verbose_name_plural = _("chủ sở hữu công nghệ")
        ordering = ["offer", "-share", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100), name="market_owner_share_range"
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(person_name=""),
                name="market_owner_named",
            ),
        ]

    def __str__(self) -> str:
        name = self.organization.name if self.organization_id else self.person_name
        return f"{name} ({self.share}%)"


def _offer_image_path(instance, filename: str) -> str:
    """A random stored name: a picture is served through the offer's access rule
    (`views.public.offer_image`: public once the offer is published), never by a guessable
    media address."""
    return f"market/offers/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class OfferImage(models.Model):
    """A picture of the technology, its product or its demonstration: public with the offer
    (PNG or JPEG, checked by content when uploaded)."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="images", verbose_name=_("công nghệ")
    )
    image = models.ImageField(_("hình ảnh"), upload_to=_offer_image_path, max_length=200)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hình ảnh công nghệ")
        verbose_name_plural = _("hình ảnh công nghệ")
        ordering = ["offer", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


# ---------------------------------------------------------------------------
# Demands
# ---------------------------------------------------------------------------
class DemandQuerySet(AccessQuerySet):
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=Q(state__in=PUBLIC_DEMAND_STATES)),
            Grant(MEMBER, field="organization_id"),
            Grant(USER, field="created_by_id"),
        ]
    )

    def editable_by(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(created_by=user) | Q(organization_id__in=user.organization_ids()))

    # -- Named report method (read by sti.analytics). `organizations` is None for every
    # requester or a QuerySet of organizations (an area): their demands.
    def report_by_state(self, periods, organizations=None) -> list[dict[str, int]]:
        """{state: number} of the demands received in each period, by their current state
        (one query)."""
        queryset = self
        if organizations is not None:
            queryset = queryset.filter(organization__in=organizations.values("pk"))
        return per_period(queryset, periods, within("created_at__date"), "state")


class Demand(ChoiceLabelsMixin, models.Model):
    """A technology need (nhu cầu công nghệ), in the requester's own words."""

    title = models.CharField(_("cần gì"), max_length=300)
    description = models.TextField(
        _("mô tả"), help_text=_("Kể bằng lời của mình: đang gặp chuyện gì, thấy gì, muốn gì.")
    )
    requirements = models.TextField(_("yêu cầu chức năng, kỹ thuật"), blank=True)
    field = models.ForeignKey(
        FieldOfScience,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_demands",
        verbose_name=_("lĩnh vực KH&CN"),
    )
    trl_wanted = models.PositiveSmallIntegerField(
        _("mức sẵn sàng mong muốn (TRL)"), null=True, blank=True, choices=TRL_CHOICES
    )
    budget_min_vnd = models.BigIntegerField(_("kinh phí từ (đồng)"), null=True, blank=True)
    budget_max_vnd = models.BigIntegerField(_("kinh phí đến (đồng)"), null=True, blank=True)
    cooperation_form = models.CharField(
        _("hình thức hợp tác"),
        max_length=20,
        choices=CooperationKind.choices,
        default=CooperationKind.LICENSE,
    )
    province = models.CharField(
        _("địa bàn"), max_length=10, choices=Province.choices, default=Province.CAN_THO
    )
    organization = _organization_fk("market_demands", _("tổ chức có nhu cầu"))
    requester_name = models.CharField(
        _("người, hộ, hợp tác xã có nhu cầu"),
        max_length=200,
        blank=True,
        help_text=_("Khi không đăng nhân danh một tổ chức trong danh bạ."),
    )
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    created_by = _user_fk("market_demands", _("người đăng"))
    broker = _user_fk("market_brokered_demands", _("cán bộ môi giới"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.RECEIVED
    )
    created_at = models.DateTimeField(_("ngày tiếp nhận"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhu cầu công nghệ")
        verbose_name_plural = _("nhu cầu công nghệ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"], name="market_demand_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(trl_wanted__isnull=True) | Q(trl_wanted__gte=1, trl_wanted__lte=9),
                name="market_demand_trl_range",
            ),
            models.CheckConstraint(
                condition=Q(budget_min_vnd__isnull=True)
                | Q(budget_max_vnd__isnull=True)
                | Q(budget_max_vnd__gte=models.F("budget_min_vnd")),
                name="market_demand_budget_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:demand_detail", args=[self.pk])

    @property
    def requester(self) -> str:
        if self.organization_id:
            return self.organization.name
        return self.requester_name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.budget_min_vnd is not None
            and self.budget_max_vnd is not None
            and self.budget_max_vnd < self.budget_min_vnd
        ):
            raise ValidationError(
                {"budget_max_vnd": _("Kinh phí tối đa không thể nhỏ hơn kinh phí tối thiểu.")}
            )
        for name in ("budget_min_vnd", "budget_max_vnd"):
            if (getattr(self, name) or 0) < 0:
                raise ValidationError({name: _("Kinh phí không thể âm.")})


def _demand_file_path(instance, filename: str) -> str:
    """A random stored name: the file is served only through the demand's access check
    (`views.public.demand_file`), never by a guessable media address."""
    return f"market/demands/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class DemandFile(models.Model):
    """A file the requester attached (a photo of the problem, a drawing, a specification):
    only the requester's side and the brokers may download it."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="files", verbose_name=_("nhu cầu")
    )
    file = models.FileField(_("tệp"), upload_to=_demand_file_path, max_length=200)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tệp kèm nhu cầu")
        verbose_name_plural = _("tệp kèm nhu cầu")
        ordering = ["demand", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


# ---------------------------------------------------------------------------
# Brokerage
# ---------------------------------------------------------------------------
class ProposalQuerySet(AccessQuerySet):
    # A shortlisted offer is seen by the requester; editors see all.
    access_rule = AccessRule(
        grants=[
            Grant(MEMBER, field="demand__organization_id"),
            Grant(USER, field="demand__created_by_id"),
        ]
    )

    def report_count(self, periods, organizations=None) -> list[int]:
        """The matches (offers sent to a requester) made in each period; with
        `organizations`, those for their demands (one query)."""
        queryset = self
        if organizations is not None:
            queryset = queryset.filter(demand__organization__in=organizations.values("pk"))
        return per_period(queryset, periods, within("created_at__date"))


class Proposal(models.Model):
    """An offer a broker shortlisted for a demand and sent to the requester (a match)."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("nhu cầu")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("công nghệ")
    )
    note = models.TextField(_("lý do đề xuất"), blank=True)
    created_by = _user_fk("+", _("người đề xuất"))
    created_at = models.DateTimeField(_("ngày đề xuất"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề xuất công nghệ")
        verbose_name_plural = _("đề xuất công nghệ")
        ordering = ["demand", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "offer"], name="market_proposal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.demand} → {self.offer}"


class ActivityQuerySet(AccessQuerySet):
    # The broker's log is for center staff only.
    access_rule = AccessRule(grants=[])


class DemandActivity(ChoiceLabelsMixin, models.Model):
    """A contact or meeting a broker recorded while taking a demand through its steps."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="activities", verbose_name=_("nhu cầu")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=ActivityKind.choices)
    happened_on = models.DateField(_("ngày"))
    offer = models.ForeignKey(
        Offer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("công nghệ liên quan"),
    )
    summary = models.TextField(_("nội dung"))
    created_by = _user_fk("+", _("người ghi"))
    created_at = models.DateTimeField(_("ngày ghi"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động môi giới")
        verbose_name_plural = _("hoạt động môi giới")
        ordering = ["demand", "-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}: {self.summary[:60]}"


class InterestQuerySet(AccessQuerySet):
    # The party who sent it, and the offer's owner organization.
    access_rule = AccessRule(
        grants=[
            Grant(USER, field="party_id"),
            Grant(MEMBER, field="offer__owner_organization_id"),
            Grant(USER, field="offer__created_by_id"),
        ]
    )

    def accepted(self):
        return self.filter(status=InterestStatus.ACCEPTED)


class ExpressionOfInterest(ChoiceLabelsMixin, models.Model):
    """A party's interest in an offer (EOI). Once the owner accepts it, the party sees the
    offer's confidential detail, owners and contact."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="interests", verbose_name=_("công nghệ")
    )
    party = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="market_interests",
        verbose_name=_("bên quan tâm"),
    )
    party_organization = _organization_fk("market_interests", _("tổ chức quan tâm"))
    demand = models.ForeignKey(
        Demand,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
        verbose_name=_("nhu cầu liên quan"),
    )
    message = models.TextField(_("lời nhắn"))
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=InterestStatus.choices,
        default=InterestStatus.PENDING,
    )
    decided_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày gửi"), auto_now_add=True)

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("bày tỏ quan tâm")
        verbose_name_plural = _("bày tỏ quan tâm")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "party"],
                condition=Q(status="pending"),
                name="market_interest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} → {self.offer}"


class ContractQuerySet(AccessQuerySet):
    access_rule = AccessRule(
        grants=[
            Grant(MEMBER, field="transferor_organization_id"),
            Grant(MEMBER, field="transferee_organization_id"),
        ]
    )

    def signed_between(self, start, end):
        queryset = self
        if start is not None:
            queryset = queryset.filter(signed_on__gte=start)
        if end is not None:
            queryset = queryset.filter(signed_on__lte=end)
        return queryset

    def report_by_kind(self, periods, organizations=None) -> list[dict[str, tuple[int, int]]]:
        """{kind: (contracts, value in đồng)} of the contracts signed in each period (one
        query); with `organizations`, those where one of them gives or receives the
        technology (a contract between two of them is counted once)."""
        queryset = self
        if organizations is not None:
            ids = organizations.values("pk")
            queryset = queryset.filter(
                Q(transferor_organization__in=ids) | Q(transferee_organization__in=ids)
            )
        found = per_period(
            queryset,
            periods,
            within("signed_on"),
            "kind",
            value=lambda q: {"n": Count("pk", filter=q), "v": Sum("value_vnd", filter=q)},
        )
        return [{k: (row["n"], row["v"] or 0) for k, row in counts.items()} for counts in found]


class TransferContract(ChoiceLabelsMixin, models.Model):
    """A technology transfer contract (hợp đồng chuyển giao công nghệ) the exchange brokered:
    the deal that the statistics (form 06/KHCN-CG) and the home figures count."""

    offer = models.ForeignKey(
        Offer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
        verbose_name=_("công nghệ"),
    )
    demand = models.ForeignKey(
        Demand,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
        verbose_name=_("nhu cầu"),
    )
    title = models.CharField(_("tên hợp đồng"), max_length=300)
    transferor_organization = _organization_fk("market_contracts_out", _("bên giao"))
    transferor_name = models.CharField(_("bên giao (ngoài danh bạ)"), max_length=200, blank=True)
    transferee_organization = _organization_fk("market_contracts_in", _("bên nhận"))
    transferee_name = models.CharField(_("bên nhận (ngoài danh bạ)"), max_length=200, blank=True)
    kind = models.CharField(
        _("hình thức chuyển giao"),
        max_length=30,
        choices=TransferKind.choices,
        default=TransferKind.INDEPENDENT,
    )
    methods = models.JSONField(_("phương thức chuyển giao"), default=list, blank=True)
    value_vnd = models.BigIntegerField(_("giá trị hợp đồng (đồng)"))
    signed_on = models.DateField(_("ngày ký"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = _user_fk("+", _("người ghi"))
    created_at = models.DateTimeField(_("ngày ghi"), auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("hợp đồng chuyển giao công nghệ")
        verbose_name_plural = _("hợp đồng chuyển giao công nghệ")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0), name="market_contract_value_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(transferor_organization__isnull=False) | ~Q(transferor_name=""),
                name="market_contract_transferor_named",
            ),
            models.CheckConstraint(
                condition=Q(transferee_organization__isnull=False) | ~Q(transferee_name=""),
                name="market_contract_transferee_named",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def transferor(self) -> str:
        return (
            self.transferor_organization.name
            if self.transferor_organization_id
            else (self.transferor_name)
        )

    @property
    def transferee(self) -> str:
        return (
            self.transferee_organization.name
            if self.transferee_organization_id
            else (self.transferee_name)
        )


# ---------------------------------------------------------------------------
# Fairs and demonstration days
# ---------------------------------------------------------------------------
class EventQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(PUBLIC, when=Q(is_published=True))])


class MarketEvent(ChoiceLabelsMixin, models.Model):
    """A technology fair (Techmart), demonstration day or supply–demand session."""

    title = models.CharField(_("tên sự kiện"), max_length=300)
    kind = models.CharField(_("loại"), max_length=20, choices=EventKind.choices)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    venue = models.CharField(_("địa điểm"), max_length=300)
    description = models.TextField(_("giới thiệu"), blank=True)
    capacity = models.PositiveIntegerField(
        _("số chỗ đăng ký tham dự"), help_text=_("0: không giới hạn.")
    )
    is_published = models.BooleanField(_("công bố"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện công nghệ")
        verbose_name_plural = _("sự kiện công nghệ")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="market_event_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:event_detail", args=[self.pk])


class ExhibitorQuerySet(AccessQuerySet):
    # Everyone sees the accepted exhibitors of a published event; an application is seen by
    # the organization that applied and the person who applied (and editors).
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=Q(status=ExhibitorStatus.ACCEPTED, event__is_published=True)),
            Grant(MEMBER, field="organization_id"),
            Grant(USER, field="applied_by_id"),
        ]
    )

    def accepted(self):
        return self.filter(status=ExhibitorStatus.ACCEPTED)


class Exhibitor(ChoiceLabelsMixin, models.Model):
    """An exhibitor at an event, with the offers it shows (public once the event is and the
    center accepted it). An offer's owner applies; an editor adds or accepts."""

    event = models.ForeignKey(
        MarketEvent, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("sự kiện")
    )
    organization = _organization_fk("market_exhibits", _("tổ chức"))
    name = models.CharField(_("đơn vị trưng bày"), max_length=300)
    booth = models.CharField(_("gian hàng"), max_length=30, blank=True)
    offers = models.ManyToManyField(
        Offer, blank=True, related_name="exhibits", verbose_name=_("công nghệ trưng bày")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ExhibitorStatus.choices,
        default=ExhibitorStatus.ACCEPTED,
    )
    applied_by = _user_fk("market_exhibits", _("người đăng ký trưng bày"))
    created_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True, null=True)

    objects = ExhibitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị trưng bày")
        verbose_name_plural = _("đơn vị trưng bày")
        ordering = ["event", "booth", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(organization__isnull=False),
                name="market_exhibitor_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RegistrationQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(USER, field="user_id")])


class EventRegistration(models.Model):
    """A visitor's registration for an event (seats limited by `MarketEvent.capacity`)."""

    event = models.ForeignKey(
        MarketEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("sự kiện"),
    )
    user = _user_fk("market_registrations", _("tài khoản"))
    name = models.CharField(_("họ và tên"), max_length=200)
    organization_name = models.CharField(_("đơn vị"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30)
    created_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký tham dự")
        verbose_name_plural = _("đăng ký tham dự")
        ordering = ["event", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="market_registration_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"


class CatalogueBuildQuerySet(AccessQuerySet):
    # The catalogue prints public parts only: public with its event.
    access_rule = AccessRule(grants=[Grant(PUBLIC, when=Q(event__is_published=True))])

    def finished(self):
        return self.filter(job__state="done").exclude(pdf="")


class CatalogueBuild(BuiltPublication):
    """The printable exhibitor catalogue of a fair (PDF), built by the worker as a tracked
    job (progress on the job) from the accepted exhibitors' published offers. The job, the
    time it took and who asked are the fields every built publication has."""

    event = models.ForeignKey(
        MarketEvent,
        on_delete=models.CASCADE,
        related_name="catalogue_builds",
        verbose_name=_("sự kiện"),
    )
    pdf = models.FileField(_("tệp PDF"), upload_to="market/catalogues/", blank=True)
    exhibitors = models.PositiveIntegerField(_("số đơn vị trưng bày"), default=0)
    offers = models.PositiveIntegerField(_("số công nghệ"), default=0)

    objects = CatalogueBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh mục in của sự kiện")
        verbose_name_plural = _("danh mục in của sự kiện")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Danh mục trưng bày: %(event)s") % {"event": self.event})
