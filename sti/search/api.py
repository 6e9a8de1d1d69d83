from ninja import Router, Schema

from sti.accounts.api_auth import optional_user
from sti.search import services
from sti.search.params import query_from_params

router = Router(tags=["search"])


class HitOut(Schema):
    type: str
    pk: str
    title: str
    url: str
    subtitle: str
    score: float
    year: int | None
    fields: list[str]
    snippet_html: str


class FacetOut(Schema):
    value: str
    count: int
    selected: bool = False


class SearchOut(Schema):
    total: int
    page: int
    num_pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


@router.get("/", response=SearchOut, summary="Tìm kiếm toàn hệ thống")
def search(request, q: str = "", page: int = 1, size: int = 20, sort: str = "relevance"):
    """Search every record type the caller may see (anonymous, session or bearer token).

    `q` accepts words with or without diacritics, "quoted phrases" and -exclusions.
    Filters: `type`, `field` (a code matches its sub-fields), `year` (each repeatable; values
    of one filter are OR-ed, filters are AND-ed), `year_from`, `year_to`. Sorts: relevance,
    newest, oldest, title. Facet counts ignore their own filter."""
    query = query_from_params(request.GET)
    results = services.search(optional_user(request), query)
    return {
        "total": results.total,
        "page": results.page,
        "num_pages": results.num_pages,
        "hits": results.hits,
        "facets": {
            name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for name, values in results.facets.items()
        },
    }
