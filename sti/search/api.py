"""Search API (mounted at /api/search/): the same query definition and facets as the page."""

from typing import Literal

from ninja import Field, Query, Router, Schema

from sti.accounts.api_auth import optional_user
from sti.core.api import QueryParams
from sti.search import services
from sti.search.base import MAX_RESULT_WINDOW
from sti.search.params import MAX_PAGE_SIZE, PAGE_SIZE, SORTS, query_from_params

router = Router(tags=["search"])


class SearchParams(QueryParams):
    """The query parameters every search endpoint shares (the filters are its own)."""

    q: str = Field("", description="Từ khóa, có dấu hoặc không; “cụm từ”, -loại trừ")
    page: int = Field(1, ge=1, le=MAX_RESULT_WINDOW)
    size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    sort: Literal[SORTS] = Field(SORTS[0], description="Thứ tự kết quả")
    year_from: int | None = Field(None, ge=1, le=9999)
    year_to: int | None = Field(None, ge=1, le=9999)


class SearchFilters(QueryParams):
    """Repeatable filters of the global search (values OR-ed, filters AND-ed)."""

    type: list[str] = Field([], description="Loại bản ghi")
    field: list[str] = Field([], description="Mã lĩnh vực KH&CN (gồm các lĩnh vực con)")
    year: list[int] = Field([], description="Năm")


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
    label: str
    count: int
    selected: bool = False


class SearchOut(Schema):
    total: int
    total_is_lower_bound: bool = Field(
        False, description="Số kết quả là cận dưới: máy tìm kiếm dừng đếm ở giới hạn đếm"
    )
    page: int
    num_pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


def facets_out(facets) -> dict[str, list[dict]]:
    """Facet values with their labels, as `FacetOut`."""
    return {
        name: [
            {
                "value": v.value,
                "label": str(v.label or v.value),
                "count": v.count,
                "selected": v.selected,
            }
            for v in values
        ]
        for name, values in facets.items()
    }


@router.get("/", response=SearchOut, summary="Tìm kiếm toàn hệ thống")
def search(request, params: Query[SearchParams], filters: Query[SearchFilters]):
    """Search every record type the caller may see (anonymous, session or bearer token).

    `q` accepts words with or without diacritics, "quoted phrases" and -exclusions.
    Filters: `type`, `field` (a code matches its sub-fields), `year` (each repeatable; values
    of one filter are OR-ed, filters are AND-ed), `year_from`, `year_to`. Sorts: relevance,
    newest, oldest, title. Facet counts ignore their own filter."""
    query = query_from_params(request.GET)
    results = services.label_facets(services.search(optional_user(request), query))
    return {
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "page": results.page,
        "num_pages": results.num_pages,
        "hits": results.hits,
        "facets": facets_out(results.facets),
    }
