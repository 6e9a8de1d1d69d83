"""REST API of the technology exchange (mounted at /api/market/).

Reads (anyone): `GET /offers`, `GET /demands` search the catalogue through the search core
with the page's facets (`q`, `field`, `trl`, `price_type`, `method`, `province`, `page`);
`GET /offers/{id}`, `GET /demands/{id}` through `visible_to`. Only the public part: an
offer's `confidential` block (detail, owners, contact) is filled only for a caller who may
see it (the owner's side, editors, a party whose expression of interest was accepted), and
null for everyone else; a demand's requester only for the requester's side and editors.

Writes (bearer token): post offers and demands for an organization the caller reports for
(or as a person), add an offer's pictures and a demand's files (multipart, checked by
content and size), move them through their state tables (403/409 when refused), and list
one's own postings with their status (`GET /mine`).
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import PayloadSchema, QueryParams
from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.market import filters, services
from sti.market.access import can_see_requester, confidential_view
from sti.market.choices import (
    CooperationKind,
    DevelopmentLevel,
    PriceKind,
    Province,
    TransferMethod,
)
from sti.market.models import Demand, Offer

router = Router(tags=["market"])
PAGE_SIZE = 20


class MarketOwnerOut(Schema):
    name: str
    share: float


class MarketConfidentialOut(Schema):
    detail: str
    owners: list[MarketOwnerOut]
    owner_organization: str
    contact_name: str
    contact_phone: str
    contact_email: str


class MarketRecordOut(Schema):
    """What an offer and a demand share in every output: the field's code, the state's
    label and the page's address."""

    id: int
    title: str
    field: str | None
    state: str
    state_label: str
    url: str

    @staticmethod
    def resolve_field(obj) -> str | None:
        return obj.field.code if obj.field_id else None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class MarketOfferOut(MarketRecordOut):
    summary: str
    trl: int | None
    development_level: str
    price_type: str
    price_vnd: int | None
    transfer_methods: list[str]
    province: str
    territory: str
    test_results: str
    expires_on: date | None


class MarketOfferDetailOut(MarketOfferOut):
    """An offer with its confidential part, filled only for a caller who may see it."""

    confidential: MarketConfidentialOut | None = None
    images: list[str] = []

    @staticmethod
    def resolve_confidential(obj, context) -> dict | None:
        return confidential_view(_caller(context["request"]), obj)

    @staticmethod
    def resolve_images(obj) -> list[str]:
        """The pictures' addresses (served through the offer's access rule)."""
        return [
            reverse("market:offer_image", args=[obj.pk, image.pk])
            for image in obj.images.order_by("id")
        ]


class MarketDemandOut(MarketRecordOut):
    description: str
    requirements: str
    trl_wanted: int | None
    budget_min_vnd: int | None
    budget_max_vnd: int | None
    cooperation_form: str
    province: str


class MarketDemandDetailOut(MarketDemandOut):
    """A demand with its requester, named only for the requester's side and brokers."""

    requester: str | None = None

    @staticmethod
    def resolve_requester(obj, context) -> str | None:
        user = _caller(context["request"])
        return obj.requester if can_see_requester(user, obj) else None


class MarketFacetOut(Schema):
    value: str
    label: str
    count: int


class MarketOfferSearchOut(Schema):
    total: int
    total_is_lower_bound: bool = False
    page: int
    num_pages: int
    items: list[MarketOfferOut]
    facets: dict[str, list[MarketFacetOut]]


class MarketDemandSearchOut(Schema):
    total: int
    total_is_lower_bound: bool = False
    page: int
    num_pages: int
    items: list[MarketDemandOut]
    facets: dict[str, list[MarketFacetOut]]


class MarketSearchParams(QueryParams):
    q: str = Field("", max_length=500)
    field: list[str] = []
    trl: list[str] = []
    price_type: list[str] = []
    method: list[str] = []
    province: list[str] = []
    page: int = Field(1, ge=1, le=500)


class MarketOfferIn(PayloadSchema):
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(min_length=3, max_length=20000)
    detail: str = Field("", max_length=50000)
    field: str | None = Field(None, max_length=10)
    trl: int | None = Field(None, ge=1, le=9)
    development_level: DevelopmentLevel | None = None
    price_type: PriceKind = PriceKind.NEGOTIABLE
    price_vnd: int | None = Field(None, ge=0, le=10**15)
    transfer_methods: list[TransferMethod] = []
    province: Province = Province.CAN_THO
    territory: str = Field("", max_length=300)
    test_results: str = Field("", max_length=20000)
    contact_name: str = Field("", max_length=150)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)
    organization: int | None = Field(None, ge=1, le=2**31 - 1)
    expires_on: date | None = None


class MarketDemandIn(PayloadSchema):
    title: str = Field(min_length=3, max_length=300)
    description: str = Field(min_length=3, max_length=20000)
    requirements: str = Field("", max_length=20000)
    field: str | None = Field(None, max_length=10)
    trl_wanted: int | None = Field(None, ge=1, le=9)
    budget_min_vnd: int | None = Field(None, ge=0, le=10**15)
    budget_max_vnd: int | None = Field(None, ge=0, le=10**15)
    cooperation_form: CooperationKind = CooperationKind.LICENSE
    province: Province = Province.CAN_THO
    organization: int | None = Field(None, ge=1, le=2**31 - 1)
    requester_name: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)


class MarketMoveIn(PayloadSchema):
    target: str = Field(min_length=1, max_length=30)
    note: str = Field("", max_length=500)
    expires_on: date | None = None


class MarketMineOut(Schema):
    offers: list[MarketOfferOut]
    demands: list[MarketDemandOut]


def _caller(request):
    """The token's user on write endpoints, else the optional reader."""
    auth = getattr(request, "auth", None)
    return auth if auth is not None and auth.is_authenticated else optional_user(request)


# ---------------------------------------------------------------------------
def _search(request, params: MarketSearchParams, type: str, model):
    user = optional_user(request)
    results = filters.search_catalogue(user, request.GET, type, page_size=PAGE_SIZE)
    pks = [int(hit.pk) for hit in results.hits]
    rows = model.objects.visible_to(user).select_related("field").in_bulk(pks)
    return {
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "page": results.page,
        "num_pages": results.num_pages,
        "items": [rows[pk] for pk in pks if pk in rows],
        "facets": {
            name: [
                {"value": v.value, "label": v.label or v.value, "count": v.count} for v in values
            ]
            for name, values in results.facets.items()
        },
    }


@router.get("/offers", response=MarketOfferSearchOut, summary="Tìm công nghệ chào bán")
def search_offers(request, params: Query[MarketSearchParams]):
    return _search(request, params, filters.OFFER_TYPE, Offer)


@router.get("/demands", response=MarketDemandSearchOut, summary="Tìm nhu cầu công nghệ")
def search_demands(request, params: Query[MarketSearchParams]):
    return _search(request, params, filters.DEMAND_TYPE, Demand)


@router.get("/offers/{pk}", response=MarketOfferDetailOut, summary="Một công nghệ chào bán")
def get_offer(request, pk: int):
    user = optional_user(request)
    offer = get_object_or_404(Offer.objects.visible_to(user).select_related("field"), pk=pk)
    return offer


@router.get("/demands/{pk}", response=MarketDemandDetailOut, summary="Một nhu cầu công nghệ")
def get_demand(request, pk: int):
    user = optional_user(request)
    demand = get_object_or_404(
        Demand.objects.visible_to(user).select_related("field", "organization"), pk=pk
    )
    return demand


# ---------------------------------------------------------------------------
# Writes (bearer token)
# ---------------------------------------------------------------------------
def _field(code):
    if not code:
        return None
    return get_object_or_404(FieldOfScience.objects.current(), code=code)


def _organization(pk):
    return get_object_or_404(Organization, pk=pk) if pk else None


@router.post(
    "/offers", auth=token_auth, response={201: MarketOfferDetailOut}, summary="Đăng công nghệ"
)
def create_offer(request, payload: MarketOfferIn):
    data = payload.dict()
    data["field"] = _field(data["field"])
    data["owner_organization"] = _organization(data.pop("organization"))
    data["development_level"] = data["development_level"] or ""
    offer = services.create_offer(request.auth, data)
    return Status(201, offer)


@router.post(
    "/offers/{pk}/move",
    auth=token_auth,
    response=MarketOfferDetailOut,
    summary="Chuyển trạng thái công nghệ chào bán",
)
def move_offer(request, pk: int, payload: MarketMoveIn):
    offer = get_object_or_404(Offer.objects.visible_to(request.auth), pk=pk)
    offer = services.move_offer(
        request.auth, offer, payload.target, note=payload.note, expires_on=payload.expires_on
    )
    return offer


@router.post(
    "/offers/{pk}/images",
    auth=token_auth,
    response={201: MarketOfferDetailOut},
    summary="Thêm hình ảnh công nghệ (PNG, JPEG)",
)
def add_offer_images(request, pk: int, images: File[list[UploadedFile]]):
    """Pictures are checked by content and size like the form's; a listed offer goes back
    to review (its public part changed). All or nothing."""
    offer = get_object_or_404(Offer.objects.visible_to(request.auth), pk=pk)
    offer = services.update_offer(request.auth, offer, {}, images=images)
    return Status(201, offer)


@router.post(
    "/demands/{pk}/files",
    auth=token_auth,
    response={201: MarketDemandDetailOut},
    summary="Đính kèm tệp cho nhu cầu (PDF, DOCX, ảnh)",
)
def add_demand_files(request, pk: int, files: File[list[UploadedFile]]):
    demand = get_object_or_404(Demand.objects.visible_to(request.auth), pk=pk)
    demand = services.update_demand(request.auth, demand, {}, files=files)
    return Status(201, demand)


@router.post(
    "/demands", auth=token_auth, response={201: MarketDemandDetailOut}, summary="Gửi nhu cầu"
)
def create_demand(request, payload: MarketDemandIn):
    data = payload.dict()
    data["field"] = _field(data["field"])
    data["organization"] = _organization(data["organization"])
    demand = services.create_demand(request.auth, data)
    return Status(201, demand)


@router.post(
    "/demands/{pk}/move",
    auth=token_auth,
    response=MarketDemandDetailOut,
    summary="Chuyển trạng thái nhu cầu",
)
def move_demand(request, pk: int, payload: MarketMoveIn):
    demand = get_object_or_404(Demand.objects.visible_to(request.auth), pk=pk)
    demand = services.move_demand(request.auth, demand, payload.target, note=payload.note)
    return demand


@router.get("/mine", auth=token_auth, response=MarketMineOut, summary="Tin đăng của tôi")
def mine(request):
    user = request.auth
    return {
        "offers": list(Offer.objects.editable_by(user).select_related("field")[:500]),
        "demands": list(Demand.objects.editable_by(user).select_related("field")[:500]),
    }
