"""One definition of the union catalogue search (the center's documents and the partners'
records), shared by the page and the API."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sti.harvest.models import Source
from sti.harvest.search import LOCAL, ORIGIN, describe_local_hits
from sti.library.filters import facet_panels
from sti.search import services as search_services
from sti.search.params import query_from_params

FACETS = (ORIGIN, "type", "year")
TITLES = {ORIGIN: _("Nguồn"), "type": _("Loại bản ghi"), "year": _("Năm")}
TYPES = ["document", "harvested"]


def label_origins(values) -> None:
    ids = [int(v.value[4:]) for v in values if v.value.startswith("src:") and v.value[4:].isdigit()]
    names = dict(Source.objects.filter(pk__in=ids).values_list("pk", "name"))
    for value in values:
        if value.value == LOCAL:
            value.label = _("%(site)s (tài liệu của Trung tâm)") % {"site": settings.SITE_NAME}
        elif value.value.startswith("src:") and value.value[4:].isdigit():
            value.label = names.get(int(value.value[4:]), value.value)


def search_union(user, params, page_size: int = 20) -> dict:
    query = query_from_params(params, facet_names=FACETS, page_size=page_size)
    query.filters["type"] = [t for t in query.filters.get("type", TYPES) if t in TYPES] or TYPES
    results = search_services.label_facets(search_services.search(user, query))
    label_origins(results.facets.get(ORIGIN, []))
    for value in results.facets.get("year", []):
        value.label = value.value
    results = search_services.describe(user, results)
    describe_local_hits(results.hits, user)
    return {
        "results": results,
        "query": results.query,
        "facet_panels": facet_panels(results, params, titles=TITLES),
    }
