"""REST API of the directory (mounted at /api/directory/).

Reads are public and go through `visible_to(user)` (a bearer token or the session decides
the user) with the same FilterSets as the list pages. Writes need an editor's bearer token:
401 without a valid token, 403 for a non-editor. Payloads are validated by the editor forms
and written by the services, exactly like the pages.
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
from sti.directory import services
from sti.directory.filters import OrganizationFilter, ResearcherFilter
from sti.directory.forms import OrganizationForm, ResearcherForm, data_from_instance
from sti.directory.models import Organization, Researcher

router = Router(tags=["directory"])
PAGE_SIZE = 25


OrganizationFilterParams = filter_schema(OrganizationFilter, "OrganizationFilterParams")
ResearcherFilterParams = filter_schema(ResearcherFilter, "ResearcherFilterParams")


def _filtered(filterset_class, request, queryset):
    return filtered(filterset_class(request.GET, queryset=queryset))


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------
class OrganizationOut(Schema):
    id: int
    name: str
    abbreviation: str
    name_en: str
    identifier: str
    kind: str
    kind_label: str
    sector: str
    address: str
    admin_unit: str | None
    phone: str
    email: str
    website: str
    founding_decision_number: str
    founding_decision_date: date | None
    founding_authority: str
    st_certificate_number: str
    fields: list[str]
    description: str
    status: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_admin_unit(obj) -> str | None:
        return obj.admin_unit.code if obj.admin_unit_id else None

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return [field.code for field in obj.fields.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ResearcherOut(Schema):
    id: int
    full_name: str
    display_name: str
    gender: str
    birth_year: int | None
    degree: str
    academic_title: str
    position: str
    organization: int | None = Field(None, alias="organization_id")
    organization_name: str
    fields: list[str]
    expertise: list[str]
    email: str
    orcid: str
    bio: str
    is_expert: bool
    is_public: bool
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name if obj.organization_id else ""

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return [field.code for field in obj.fields.all()]

    @staticmethod
    def resolve_expertise(obj) -> list[str]:
        return obj.expertise_list

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class OrganizationIn(PayloadSchema):
    name: str | None = None
    abbreviation: str | None = None
    name_en: str | None = None
    identifier: str | None = None
    kind: str | None = None
    sector: str | None = None
    address: str | None = None
    admin_unit: int | None = Field(None, description="id of an administrative unit")
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    founding_decision_number: str | None = None
    founding_decision_date: date | None = None
    founding_authority: str | None = None
    st_certificate_number: str | None = None
    description: str | None = None
    fields: list[str] | None = Field(
        None, description="S&T field codes of the current classification"
    )


class ResearcherIn(PayloadSchema):
    full_name: str | None = None
    gender: str | None = None
    birth_year: int | None = None
    ethnicity: str | None = None
    degree: str | None = None
    academic_title: str | None = None
    position: str | None = None
    organization: int | None = Field(None, description="id of the organization")
    expertise: str | None = Field(None, description="keywords separated by commas")
    email: str | None = None
    phone: str | None = None
    orcid: str | None = None
    bio: str | None = None
    is_public: bool | None = None
    is_expert: bool | None = None
    fields: list[str] | None = Field(
        None, description="S&T field codes of the current classification"
    )


class MergeIn(PayloadSchema):
    into: int
    move_researchers: bool = True
    note: str = ""


class NoteIn(PayloadSchema):
    note: str = ""


# ---------------------------------------------------------------------------
# Writing: editors only, validated by the forms
# ---------------------------------------------------------------------------
def _require_editor(request):
    if not request.auth.is_editor:
        raise PermissionDenied(_("Chỉ biên tập viên được ghi dữ liệu danh bạ."))
    return request.auth


def _form_for(form_class, payload: Schema, instance=None):
    given = payload.dict(exclude_unset=True)
    # Unset fields keep the stored value (PATCH) or the model's default (POST).
    data = data_from_instance(form_class, instance or form_class._meta.model())
    codes = given.pop("fields", None)
    for name, value in given.items():
        data[name] = "" if value is None else value
    errors = {}
    if codes is not None:
        found = dict(
            FieldOfScience.objects.current().filter(code__in=codes).values_list("code", "pk")
        )
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors["fields"] = [
                _("Mã lĩnh vực không có trong danh mục hiện hành: %(codes)s")
                % {"codes": ", ".join(unknown)}
            ]
        data["fields"] = list(found.values())
    form = form_class(data=data, instance=instance)
    if not form.is_valid():
        errors.update(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return form, errors


def _write(request, form_class, payload, instance, create, update):
    actor = _require_editor(request)
    form, errors = _form_for(form_class, payload, instance)
    if errors:
        raise ValidationError(errors)  # 422 in the API's error shape
    # A ValidationError of the service is a 422 too (the API's handler).
    if instance is None:
        saved = create(actor=actor, data=form.service_data(), fields=form.cleaned_data["fields"])
    else:
        saved = update(
            instance, actor=actor, data=form.service_data(), fields=form.cleaned_data["fields"]
        )
    return Status(201 if instance is None else 200, saved)


# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------
def _organizations(request):
    return (
        Organization.objects.visible_to(optional_user(request))
        .select_related("admin_unit")
        .prefetch_related("fields")
    )


@router.get("/organizations", response=list[OrganizationOut], summary="Danh sách tổ chức KH&CN")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_organizations(request, filters: Query[OrganizationFilterParams]):
    """Filters: `q` (accent-insensitive name/abbreviation), `kind`, `sector`, `status`,
    `field` (an S&T field code, its sub-fields included), `admin_unit` (id)."""
    return _filtered(OrganizationFilter, request, _organizations(request))


@router.get(
    "/organizations/{pk}",
    response=OrganizationOut,
    url_name="directory_organization_detail",
    summary="Một tổ chức KH&CN",
)
def get_organization(request, pk: int):
    return get_object_or_404(_organizations(request), pk=pk)


@router.post(
    "/organizations",
    auth=token_auth,
    response={201: OrganizationOut},
    summary="Thêm tổ chức (biên tập viên)",
)
def create_organization(request, payload: OrganizationIn):
    return _write(request, OrganizationForm, payload, None, services.create_organization, None)


@router.patch(
    "/organizations/{pk}",
    auth=token_auth,
    response={200: OrganizationOut},
    summary="Sửa tổ chức (biên tập viên)",
)
def update_organization(request, pk: int, payload: OrganizationIn):
    _require_editor(request)
    organization = get_object_or_404(Organization.objects.visible_to(request.auth), pk=pk)
    return _write(
        request, OrganizationForm, payload, organization, None, services.update_organization
    )


@router.post(
    "/organizations/{pk}/merge",
    auth=token_auth,
    response={200: OrganizationOut},
    summary="Ghi nhận sáp nhập tổ chức (biên tập viên)",
)
def merge_organization(request, pk: int, payload: MergeIn):
    actor = _require_editor(request)
    organization = get_object_or_404(Organization.objects.visible_to(actor), pk=pk)
    into = get_object_or_404(Organization.objects.visible_to(actor), pk=payload.into)
    try:
        services.merge_organization(
            organization,
            into=into,
            actor=actor,
            move_researchers=payload.move_researchers,
            note=payload.note,
        )
    except ValidationError as error:
        raise ValidationError({"into": error.messages}) from error
    return Status(200, _organizations(request).get(pk=pk))


@router.post(
    "/organizations/{pk}/dissolve",
    auth=token_auth,
    response={200: OrganizationOut},
    summary="Ghi nhận giải thể tổ chức (biên tập viên)",
)
def dissolve_organization(request, pk: int, payload: NoteIn):
    actor = _require_editor(request)
    organization = get_object_or_404(Organization.objects.visible_to(actor), pk=pk)
    try:
        services.dissolve_organization(organization, actor=actor, note=payload.note)
    except ValidationError as error:
        raise ValidationError({"status": error.messages}) from error
    return Status(200, _organizations(request).get(pk=pk))


# ---------------------------------------------------------------------------
# Researchers
# ---------------------------------------------------------------------------
def _researchers(user):
    return (
        Researcher.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related("fields")
    )


@router.get("/researchers", response=list[ResearcherOut], summary="Danh sách nhà khoa học")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_researchers(request, filters: Query[ResearcherFilterParams]):
    """Filters: `q` (accent-insensitive name or expertise), `organization` (id, identifier or
    part of the name), `field`, `degree`, `academic_title`, `is_expert`, `gender`."""
    return _filtered(ResearcherFilter, request, _researchers(optional_user(request)))


@router.get(
    "/researchers/{pk}",
    response=ResearcherOut,
    url_name="directory_researcher_detail",
    summary="Một nhà khoa học",
)
def get_researcher(request, pk: int):
    return get_object_or_404(_researchers(optional_user(request)), pk=pk)


@router.post(
    "/researchers",
    auth=token_auth,
    response={201: ResearcherOut},
    summary="Thêm nhà khoa học (biên tập viên)",
)
def create_researcher(request, payload: ResearcherIn):
    return _write(request, ResearcherForm, payload, None, services.create_researcher, None)


@router.patch(
    "/researchers/{pk}",
    auth=token_auth,
    response={200: ResearcherOut},
    summary="Sửa nhà khoa học (biên tập viên)",
)
def update_researcher(request, pk: int, payload: ResearcherIn):
    _require_editor(request)
    person = get_object_or_404(Researcher.objects.visible_to(request.auth), pk=pk)
    return _write(request, ResearcherForm, payload, person, None, services.update_researcher)
