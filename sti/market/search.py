"""What the technology exchange puts in the platform search: the PUBLIC part of offers and
demands only. The confidential detail, the owners, the contact and a demand's requester are
never in a document, so no snippet, facet or search hit can show them.

Who finds a record is its model's access rule (`visible_to`), as principals: the public
finds published offers and open demands; the owner's side finds its own in every state;
editors (the brokers, who review, help finish and take drafts through) find every one, as
their pages open every one. The site search therefore shows an editor drafts too, marked
with their state; the exchange's own catalogue lists what is on offer now for everyone
(`filters.catalogue_query`)."""

from django.utils.translation import gettext_lazy as _

from sti.market.choices import OfferStatus
from sti.market.models import Demand, Offer
from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register

# The catalogue's facets, stored as tags on each document.
TAG_TRL = "trl"
TAG_PRICE = "price_type"
TAG_METHOD = "method"
TAG_PROVINCE = "province"
TAG_STATE = "state"


def _field_codes(field) -> list[str]:
    """The field and its ancestors ("40101" also counts under "401" and "4")."""
    codes = []
    while field is not None:
        codes.append(field.code)
        field = field.parent
    return codes


def offer_document(offer: Offer) -> SearchDocument:
    body = " ".join(
        part
        for part in (
            offer.summary,
            offer.field.label if offer.field_id else "",
            " ".join(offer.transfer_method_labels()),
            offer.get_province_display(),
            offer.territory,
            offer.test_results,
        )
        if part
    )
    tags = [(TAG_PRICE, offer.price_type), (TAG_PROVINCE, offer.province), (TAG_STATE, offer.state)]
    if offer.trl:
        tags.append((TAG_TRL, str(offer.trl)))
    tags += [(TAG_METHOD, method) for method in offer.transfer_methods or []]
    return SearchDocument(
        type="market_offer",
        pk=str(offer.pk),
        title=offer.title,
        body=body,
        url=offer.get_absolute_url(),
        subtitle=" · ".join(
            str(part)
            for part in (
                _("Công nghệ chào bán"),
                f"TRL {offer.trl}" if offer.trl else "",
                offer.get_price_type_display(),
                # Who finds an offer not on offer (its owner's side, editors) sees its state.
                "" if offer.state == OfferStatus.PUBLISHED else offer.get_state_display(),
            )
            if part
        ),
        fields=_field_codes(offer.field) if offer.field_id else [],
        year=offer.published_at.year if offer.published_at else None,
        date=offer.published_at,
        tags=tags,
        created=offer.published_at or offer.created_at,
    )


def demand_document(demand: Demand) -> SearchDocument:
    body = " ".join(
        part
        for part in (
            demand.description,
            demand.requirements,
            demand.field.label if demand.field_id else "",
            demand.get_cooperation_form_display(),
            demand.get_province_display(),
        )
        if part
    )
    tags = [(TAG_PROVINCE, demand.province), (TAG_STATE, demand.state)]
    if demand.trl_wanted:
        tags.append((TAG_TRL, str(demand.trl_wanted)))
    return SearchDocument(
        type="market_demand",
        pk=str(demand.pk),
        title=demand.title,
        body=body,
        url=demand.get_absolute_url(),
        subtitle=" · ".join(
            str(part) for part in (_("Nhu cầu công nghệ"), demand.get_state_display()) if part
        ),
        fields=_field_codes(demand.field) if demand.field_id else [],
        year=demand.created_at.year if demand.created_at else None,
        date=demand.created_at,
        tags=tags,
        created=demand.created_at,
    )


register(
    IndexSpec(
        type="market_offer",
        label=_("Công nghệ chào bán"),
        model=Offer,
        queryset=lambda: Offer.objects.select_related("field__parent__parent__parent"),
        to_document=offer_document,
        icon="bi-lightbulb",
        owner_tag=False,
    )
)
register(
    IndexSpec(
        type="market_demand",
        label=_("Nhu cầu công nghệ"),
        model=Demand,
        queryset=lambda: Demand.objects.select_related("field__parent__parent__parent"),
        to_document=demand_document,
        icon="bi-question-circle",
        owner_tag=False,
    )
)
