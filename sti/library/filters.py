"""One definition of the library search, shared by the page and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.models import current_field_display_labels
from sti.library.choices import LANGUAGES, AccessLevel, SourceType
from sti.library.models import Collection
from sti.search import params as search_params
from sti.search import services as search_services
from sti.search.base import SearchResults
from sti.search.params import query_from_params

FACETS = ("source_type", "field", "year", "language", "collection", "access")


def library_query(params, page_size: int = 20):
    """A SearchQuery over documents only, with the library's facets and filters."""
    query = query_from_params(params, facet_names=FACETS, page_size=page_size)
    query.filters["type"] = ["document"]
    return query


def label_facets(results: SearchResults) -> SearchResults:
    """Give facet values their human labels (one query per facet that needs the database)."""
    facets = results.facets
    static = {
        "source_type": dict(SourceType.choices),
        "language": {code: str(label) for code, label in LANGUAGES},
        "access": dict(AccessLevel.choices),
    }
    for name, labels in static.items():
        for value in facets.get(name, []):
            value.label = str(labels.get(value.value, value.value))
    if facets.get("collection"):
        names = dict(
            Collection.objects.filter(
                pk__in=[v.value for v in facets["collection"] if v.value.isdigit()]
            ).values_list("pk", "name")
        )
        for value in facets["collection"]:
            value.label = (
                names.get(int(value.value), value.value) if value.value.isdigit() else value.value
            )
    if facets.get("field"):
        # Levels 1–2 only: level 3 would flood the sidebar.
        facets["field"] = [v for v in facets["field"] if len(v.value) <= 3]
        names = current_field_display_labels()
        for value in facets["field"]:
            value.label = names.get(value.value, value.value)
    for value in facets.get("year", []):
        value.label = value.value
    return results


def search_documents(user, params, page_size: int = 20, exact: bool = False) -> SearchResults:
    """The library's search; `exact`: count every match (per-collection figures)."""
    query = library_query(params, page_size=page_size)
    if exact:
        query.count_limit = None
    return label_facets(search_services.search(user, query))


FACET_TITLES = {
    "source_type": _("Loại nguồn tin"),
    "field": _("Lĩnh vực KH&CN"),
    "year": _("Năm"),
    "language": _("Ngôn ngữ"),
    "collection": _("Bộ sưu tập"),
    "access": _("Mức truy cập"),
}


def facet_panels(
    results: SearchResults, params, hidden: tuple[str, ...] = (), titles: dict | None = None
) -> list[dict]:
    """The library's facets ready to render (`sti.search.params.facet_panels`)."""
    return search_params.facet_panels(results, params, titles or FACET_TITLES, hidden)
