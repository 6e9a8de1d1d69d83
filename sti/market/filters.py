"""One definition of the catalogue search (offers or demands), shared by the page and the
API: the search core with the exchange's facets (field, TRL, price type, transfer method,
province)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.models import current_field_display_labels
from sti.market.choices import OfferStatus, PriceKind, Province, TransferMethod
from sti.market.models import PUBLIC_DEMAND_STATES
from sti.market.search import TAG_STATE
from sti.search import services as search_services
from sti.search.base import SearchResults
from sti.search.params import facet_panels, query_from_params

OFFER_TYPE = "market_offer"
DEMAND_TYPE = "market_demand"
OFFER_FACETS = ("field", "trl", "price_type", "method", "province")
DEMAND_FACETS = ("field", "trl", "province")
FACET_TITLES = {
    "field": _("Lĩnh vực KH&CN"),
    "trl": _("Mức sẵn sàng (TRL)"),
    "price_type": _("Hình thức giá"),
    "method": _("Phương thức chuyển giao"),
    "province": _("Địa bàn"),
}


def catalogue_query(params, type: str, page_size: int = 20):
    facets = OFFER_FACETS if type == OFFER_TYPE else DEMAND_FACETS
    query = query_from_params(params, facet_names=facets, page_size=page_size)
    query.filters["type"] = [type]
    # The catalogue lists what is on offer or sought now, for everyone alike: an editor's
    # or an owner's drafts, offers in review, expired or transferred ones and demands not
    # yet clarified or closed are followed on "my postings" and the broker's desk.
    if type == OFFER_TYPE:
        query.filters[TAG_STATE] = [OfferStatus.PUBLISHED]
    else:
        query.filters[TAG_STATE] = [str(state) for state in PUBLIC_DEMAND_STATES]
    return query


def label_facets(results: SearchResults) -> SearchResults:
    static = {
        "price_type": dict(PriceKind.choices),
        "method": dict(TransferMethod.choices),
        "province": dict(Province.choices),
    }
    facets = results.facets
    for name, labels in static.items():
        for value in facets.get(name, []):
            value.label = str(labels.get(value.value, value.value))
    for value in facets.get("trl", []):
        value.label = f"TRL {value.value}"
    if "trl" in facets:
        facets["trl"].sort(key=lambda value: value.value)
    if facets.get("field"):
        # Levels 1–2 only: level 3 would flood the sidebar.
        facets["field"] = [v for v in facets["field"] if len(v.value) <= 3 or v.selected]
        names = current_field_display_labels()
        for value in facets["field"]:
            value.label = names.get(value.value, value.value)
    return results


def search_catalogue(user, params, type: str, page_size: int = 20) -> SearchResults:
    query = catalogue_query(params, type, page_size=page_size)
    return label_facets(search_services.search(user, query))


def panels(results: SearchResults, params) -> list[dict]:
    return facet_panels(results, params, FACET_TITLES)
