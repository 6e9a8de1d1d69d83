from django.shortcuts import render

from sti.core.models import FieldOfScience
from sti.search import services
from sti.search.params import query_from_params
from sti.search.registry import type_labels


def search_page(request):
    query = query_from_params(request.GET)
    results = services.search(request.user, query)
    labels = type_labels()
    field_names = dict(FieldOfScience.objects.current().values_list("code", "name"))
    for value in results.facets.get("type", []):
        value.label = labels.get(value.value, value.value)
    for value in results.facets.get("field", []):
        value.label = f"{value.value} {field_names.get(value.value, '')}".strip()
    # Level-1 and level-2 fields only: level 3 would flood the sidebar.
    results.facets["field"] = [v for v in results.facets.get("field", []) if len(v.value) <= 3]
    for value in results.facets.get("year", []):
        value.label = value.value
    context = {"results": results, "query": query, "type_labels": labels}
    template = "search/_results.html" if request.htmx else "search/search.html"
    return render(request, template, context)
