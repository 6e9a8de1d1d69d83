from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core import expansion
from sti.core.models import current_field_display_labels
from sti.search import services
from sti.search.base import MAX_RESULT_WINDOW
from sti.search.params import page_filter_names, query_from_params
from sti.search.querytext import free_text
from sti.search.registry import extra_filters, type_labels

FACET_LABELS = {"type": _("Loại bản ghi"), "field": _("Lĩnh vực KH&CN"), "year": _("Năm")}
FACET_LIMITS = {"type": 20, "field": 25, "year": 15}
ALSO_SEARCH_LIMIT = 8


@editor_required
@require_POST
def reindex_type(request, type):
    """Editors rebuild one type's index from the status page (the worker does the work)."""
    if type not in type_labels():
        raise Http404
    if services.request_reindex(request.user, type):
        message = _(
            "Đã xếp lịch lập lại chỉ mục “%(label)s”; trang trạng thái sẽ cập nhật khi xong."
        )
    else:
        message = _("Chỉ mục “%(label)s” đang được lập lại; không xếp lịch thêm lần nữa.")
    messages.success(request, message % {"label": type_labels()[type]})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = "/"
    return redirect(back)


def _without(params: QueryDict, name: str, value: str | None = None) -> str:
    """The query string without one filter value (or without the whole filter)."""
    params = params.copy()
    values = params.getlist(name)
    params.setlist(name, [v for v in values if value is not None and v != value])
    params.pop("page", None)
    return params.urlencode()


def search_page(request):
    """The global search over every registered type: GET form, facets, highlighted hits."""
    query = query_from_params(request.GET, filter_names=page_filter_names())
    field_names = current_field_display_labels()
    results = services.label_facets(services.search(request.user, query), field_names)
    results = services.describe(request.user, results)
    labels = type_labels()
    value_labels = {
        "type": lambda value: labels.get(value, value),
        "field": lambda value: field_names.get(value, value),
        "year": str,
    }
    for name, (label, name_values) in extra_filters().items():
        names = name_values(query.filters[name]) if query.filters.get(name) else {}
        value_labels[name] = lambda value, names=names, label=label: (
            f"{label}: {names.get(value, value)}"
        )
    # Level-1 and level-2 fields only: level 3 would flood the sidebar.
    fields = [v for v in results.facets.get("field", []) if len(v.value) <= 3 or v.selected]
    results.facets["field"] = fields
    facet_groups = [
        {
            "name": name,
            "label": FACET_LABELS[name],
            "values": results.facets.get(name, [])[: FACET_LIMITS[name]],
        }
        for name in FACET_LABELS
    ]
    active_filters = [
        {
            "label": value_labels.get(name, str)(value),
            "remove_query": _without(request.GET, name, value),
        }
        for name, values in query.filters.items()
        for value in values
    ]
    if query.year_from is not None or query.year_to is not None:
        span = f"{query.year_from or '…'}–{query.year_to or '…'}"
        params = request.GET.copy()
        params.pop("year_from", None)
        active_filters.append({"label": span, "remove_query": _without(params, "year_to")})
    clear = QueryDict(mutable=True)
    for key in ("q", "sort"):
        if request.GET.get(key):
            clear[key] = request.GET[key]
    context = {
        "results": results,
        "query": query,
        "type_labels": labels,
        "facet_groups": facet_groups,
        "active_filters": active_filters,
        "clear_query": clear.urlencode(),
        "max_page": MAX_RESULT_WINDOW // max(query.limit, 1),
        # "cũng tìm: …": what the thesaurus adds to the query, each a search of its own.
        "also_search": expansion.expansions(free_text(query.text or ""), limit=ALSO_SEARCH_LIMIT),
    }
    template = "search/_page.html" if request.htmx else "search/search.html"
    return render(request, template, context)
