"""Turn request parameters into a SearchQuery: one definition for the page and the API."""

from __future__ import annotations

from sti.search.base import SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE, SORT_TITLE, SearchQuery
from sti.search.registry import extra_filters

SORTS = (SORT_RELEVANCE, SORT_NEWEST, SORT_OLDEST, SORT_TITLE)
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
FACET_NAMES = ("type", "field", "year")


def page_filter_names() -> tuple[str, ...]:
    """The filters the search page accepts: its facets and the registered extra filters."""
    return (*FACET_NAMES, *extra_filters())


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def query_from_params(
    params, *, facet_names=FACET_NAMES, filter_names=None, page_size=PAGE_SIZE
) -> SearchQuery:
    """`params` is a QueryDict or a dict of lists. Unknown filter names are ignored."""
    getlist = params.getlist if hasattr(params, "getlist") else (lambda key: params.get(key, []))
    get = params.get
    names = filter_names or facet_names
    filters = {}
    for name in names:
        values = [value for value in getlist(name) if value not in ("", None)]
        if values:
            filters[name] = values[:20]
    page = max(1, _int(get("page"), 1) or 1)
    size = min(max(_int(get("size"), page_size) or page_size, 1), MAX_PAGE_SIZE)
    sort = get("sort") or SORT_RELEVANCE
    return SearchQuery(
        text=(get("q") or "")[:500],
        filters=filters,
        facets=list(facet_names),
        sort=sort if sort in SORTS else SORT_RELEVANCE,
        offset=(page - 1) * size,
        limit=size,
        year_from=_int(get("year_from")),
        year_to=_int(get("year_to")),
    )
