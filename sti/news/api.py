"""REST API of news and periodicals (mounted at /api/news/).

Reads are public and go through `visible_to(user)` (a bearer token or the session decides the
user) with the list page's FilterSet. Writes need a bearer token and go through the same
services as the pages: a reporter writes drafts for their organization, an editor moves
articles through the workflow. 401 without a token, 403 for a refused right, 409 for an
illegal step, 422 with the field messages for bad input.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import BoundedPageNumberPagination, PayloadSchema, filter_schema, filtered
from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.news import links, services
from sti.news.choices import ArticleStatus
from sti.news.filters import ArticleFilter
from sti.news.models import Article, Category, Issue, Series

router = Router(tags=["news"])
PAGE_SIZE = 20


ArticleFilterParams = filter_schema(ArticleFilter, "ArticleFilterParams")


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    status: str
    publish_at: datetime | None
    organization: int = Field(..., alias="organization_id")
    organization_name: str
    category: str | None
    tags: list[str]
    fields: list[str]
    video_url: str
    has_image: bool
    url: str

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.slug if obj.category_id else None

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return [field.code for field in obj.fields.all()]

    @staticmethod
    def resolve_has_image(obj) -> bool:
        return bool(obj.lead_image)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ArticleIn(PayloadSchema):
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    organization: int | None = None
    category: str | None = Field(None, description="Mã chuyên mục (slug)")
    tags: list[str] | None = None
    fields: list[str] | None = Field(None, description="Mã lĩnh vực KH&CN")
    video_url: str | None = None
    related: list[str] | None = Field(None, description='Hồ sơ liên quan, ví dụ "document:12"')


class MoveIn(PayloadSchema):
    target: ArticleStatus
    note: str = ""
    publish_at: datetime | None = None


class SeriesOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    issn: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class IssueOut(Schema):
    id: int
    series: str
    number: int
    year: int
    issued: date
    title: str
    summary: str
    status: str
    pdf: str | None
    document: int | None = Field(None, alias="document_id")
    url: str

    @staticmethod
    def resolve_series(obj) -> str:
        return obj.series.slug

    @staticmethod
    def resolve_pdf(obj) -> str | None:
        from django.urls import reverse

        return reverse("news:issue_file", args=[obj.pk, "pdf"]) if obj.pdf else None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def _articles(user):
    return (
        Article.objects.visible_to(user)
        .select_related("organization", "category")
        .prefetch_related("tags", "fields")
        .order_by("-publish_at", "-pk")
    )


@router.get("/articles", response=list[ArticleOut], summary="Danh sách tin tức")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_articles(request, filters: Query[ArticleFilterParams]):
    """Only what the caller may see: the public sees published articles from their moment."""
    return filtered(ArticleFilter(request.GET, queryset=_articles(optional_user(request))))


@router.get("/articles/{pk}", response=ArticleOut, summary="Một bài tin")
def get_article(request, pk: int):
    return get_object_or_404(_articles(optional_user(request)), pk=pk)


@router.get("/series", response=list[SeriesOut], summary="Các ấn phẩm định kỳ")
def list_series(request):
    return Series.objects.visible_to(optional_user(request))


@router.get("/issues", response=list[IssueOut], summary="Các số ấn phẩm đã phát hành")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_issues(request, series: str | None = None):
    issues = Issue.objects.visible_to(optional_user(request)).select_related("series")
    if series:
        issues = issues.filter(series__slug=series)
    return issues.order_by("-issued", "-pk")


@router.get("/issues/{pk}", response=IssueOut, summary="Một số ấn phẩm")
def get_issue(request, pk: int):
    issues = Issue.objects.visible_to(optional_user(request)).select_related("series")
    return get_object_or_404(issues, pk=pk)


# ---------------------------------------------------------------------------
# Writing: through the services, with a bearer token
# ---------------------------------------------------------------------------
def _payload_data(payload: ArticleIn) -> tuple[dict, dict, dict]:
    """(data, relations, errors) from a payload: only the keys that were sent."""
    given = payload.dict(exclude_unset=True)
    data, relations, errors = {}, {}, {}
    for name in ("title", "summary", "body", "video_url"):
        if name in given:
            data[name] = given[name] or ""
    if "organization" in given:
        data["organization"] = Organization.objects.filter(pk=given["organization"] or 0).first()
        if data["organization"] is None:
            errors["organization"] = [_("Không có tổ chức này.")]
    if "category" in given:
        data["category"] = Category.objects.filter(slug=given["category"] or "").first()
        if given["category"] and data["category"] is None:
            errors["category"] = [_("Không có chuyên mục này.")]
    if "tags" in given:
        relations["tags"] = given["tags"] or []
    if "fields" in given:
        codes = given["fields"] or []
        found = list(FieldOfScience.objects.current().filter(code__in=codes))
        unknown = sorted(set(codes) - {field.code for field in found})
        if unknown:
            errors["fields"] = [
                _("Mã lĩnh vực không có trong danh mục hiện hành: %(c)s")
                % {"c": ", ".join(unknown)}
            ]
        relations["fields"] = found
    if "related" in given:
        try:
            relations["related"] = [links.parse_ref(ref) for ref in given["related"] or []]
        except ValidationError as error:
            errors["related"] = error.messages
    return data, relations, errors


@router.post(
    "/articles",
    auth=token_auth,
    response={201: ArticleOut},
    summary="Viết bài tin (phóng viên của tổ chức, biên tập viên)",
)
def create_article(request, payload: ArticleIn):
    data, relations, errors = _payload_data(payload)
    for name in ("title", "body", "organization"):
        if not data.get(name) and name not in errors:
            errors[name] = [_("Trường này là bắt buộc.")]
    if errors:
        raise ValidationError(errors)
    try:
        article = services.create_article(request.auth, data, **relations)
    except PermissionDenied as error:
        raise PermissionDenied(str(error) or _("Bạn không có quyền viết bài tin.")) from error
    return Status(201, _articles(request.auth).get(pk=article.pk))


@router.patch(
    "/articles/{pk}",
    auth=token_auth,
    response=ArticleOut,
    summary="Sửa bài tin",
)
def update_article(request, pk: int, payload: ArticleIn):
    article = get_object_or_404(Article.objects.visible_to(request.auth), pk=pk)
    data, relations, errors = _payload_data(payload)
    if errors:
        raise ValidationError(errors)
    try:
        services.update_article(request.auth, article, data, **relations)
    except PermissionDenied as error:
        raise PermissionDenied(str(error) or _("Bạn không có quyền sửa bài tin này.")) from error
    return _articles(request.auth).get(pk=pk)


@router.post(
    "/articles/{pk}/move",
    auth=token_auth,
    response=ArticleOut,
    summary="Chuyển bước biên tập (gửi duyệt, hẹn giờ, đăng, gỡ…)",
)
def move_article(request, pk: int, payload: MoveIn):
    """403 when the role may not make the step, 409 when the step is not legal now, 422 for
    a refused value (the shared handlers answer all three)."""
    article = get_object_or_404(Article.objects.visible_to(request.auth), pk=pk)
    services.move_article(
        request.auth, article, payload.target, note=payload.note, publish_at=payload.publish_at
    )
    return _articles(request.auth).get(pk=pk)
