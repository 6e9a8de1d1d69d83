"""REST API of the IP register (mounted at /api/ip/): reads only, through
`Filing.objects.visible_to(user)` with the list page's FilterSet."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sti.accounts.api_auth import optional_user
from sti.core.api import (
    BoundedPageNumberPagination,
    IsoDate,
    QueryParams,
    filter_schema,
    filtered,
)
from sti.ip import services
from sti.ip.filters import FilingFilter
from sti.ip.models import Filing

router = Router(tags=["ip"])
PAGE_SIZE = 25

FilingFilterParams = filter_schema(FilingFilter, "FilingFilterParams")


class FilingOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    application_number: str
    filed_on: date | None
    applicant: str
    applicant_organization: int | None
    status: str
    status_label: str
    grant_number: str
    granted_on: date | None
    task: int | None
    url: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_applicant_organization(obj) -> int | None:
        return obj.applicant_organization_id

    @staticmethod
    def resolve_task(obj) -> int | None:
        return obj.task_id

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class KindTotalOut(Schema):
    kind: str
    label: str
    applications: int
    grants: int


class TotalsParams(QueryParams):
    start: IsoDate | None = None
    end: IsoDate | None = None


def _filings(request):
    return Filing.objects.visible_to(optional_user(request)).select_related(
        "applicant_organization"
    )


@router.get("/filings", response=list[FilingOut], summary="Sổ đăng ký sở hữu trí tuệ")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_filings(request, filters: Query[FilingFilterParams]):
    """Filters: `q` (accent-insensitive title, application or grant number), `kind`,
    `status`, `year` (of filing), `granted_year`, `organization` (id, identifier or part
    of the name), `task` (id)."""
    return filtered(FilingFilter(request.GET, queryset=_filings(request)))


@router.get(
    "/filings/{pk}", response=FilingOut, url_name="ip_filing_detail", summary="Một đơn SHTT"
)
def get_filing(request, pk: int):
    return get_object_or_404(_filings(request), pk=pk)


@router.get(
    "/totals", response=list[KindTotalOut], summary="Số đơn và văn bằng theo loại đối tượng"
)
def totals(request, period: Query[TotalsParams]):
    """Applications filed and titles granted between `start` and `end` (both optional),
    per kind, among the filings the caller may see."""
    return services.kind_totals(optional_user(request), start=period.start, end=period.end)
