"""Figures for the home page, computed live from the database and the search index.

The key numbers come from the apps (`register_home_figure` in their `AppConfig.ready()`);
the records by type and by field come from the search index, so a new searchable type shows
up here without any change.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sti.core.models import current_field_display_labels
from sti.core.registries import home_figures
from sti.search import services as search_services
from sti.search.base import SearchQuery
from sti.search.registry import type_labels


def key_figures(user) -> dict:
    """`figures[key]` for each registered figure, `cards` to draw them, and the index's
    totals by type and by field."""
    figures: dict = {"cards": []}
    for figure in home_figures():
        count = figure.count(user)
        figures[figure.key] = count
        url = reverse(figure.url_name) + (f"?{figure.query}" if figure.query else "")
        figures["cards"].append({"label": figure.label, "count": count, "url": url})
    results = search_services.search(
        user,
        SearchQuery(facets=["type", "field"], limit=1, highlight=False, count_limit=None),
    )
    labels = type_labels()
    top_fields = {
        code: label for code, label in current_field_display_labels().items() if len(code) == 1
    }
    by_field = [
        {"code": value.value, "label": top_fields[value.value], "count": value.count}
        for value in results.facets.get("field", [])
        if value.value in top_fields
    ]
    by_field.sort(key=lambda item: item["code"])
    figures["indexed"] = results.total
    figures["cards"].append(
        {
            "label": _("bản ghi có thể tra cứu"),
            "count": results.total,
            "url": reverse("search:search"),
        }
    )
    figures["by_type"] = [
        {"type": value.value, "label": labels.get(value.value, value.value), "count": value.count}
        for value in results.facets.get("type", [])
    ]
    figures["by_field"] = by_field
    return figures
