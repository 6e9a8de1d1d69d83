"""Figures for the home page, computed live from the database and the search index."""

from __future__ import annotations

from django.db.models import Count

from sti.core.models import FieldOfScience
from sti.directory.models import Organization, Researcher
from sti.search import services as search_services
from sti.search.base import SearchQuery
from sti.search.registry import type_labels


def key_figures(user) -> dict:
    organizations = Organization.objects.visible_to(user).active().count()
    researchers = Researcher.objects.visible_to(user)
    results = search_services.search(
        user, SearchQuery(facets=["type", "field"], limit=1, highlight=False)
    )
    labels = type_labels()
    by_type = [
        {"type": value.value, "label": labels.get(value.value, value.value), "count": value.count}
        for value in results.facets.get("type", [])
    ]
    top_fields = FieldOfScience.objects.current().level(1).labels()
    by_field = [
        {"code": value.value, "label": top_fields[value.value], "count": value.count}
        for value in results.facets.get("field", [])
        if value.value in top_fields
    ]
    by_field.sort(key=lambda item: item["code"])
    return {
        "organizations": organizations,
        "researchers": researchers.count(),
        "experts": researchers.filter(is_expert=True).count(),
        "indexed": results.total,
        "by_type": by_type,
        "by_field": by_field,
        "organizations_by_kind": list(
            Organization.objects.visible_to(user)
            .active()
            .values("kind")
            .annotate(n=Count("id"))
            .order_by("-n")
        ),
    }
