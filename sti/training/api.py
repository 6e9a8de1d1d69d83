"""REST API of the training app (mounted at /api/training/).

Reads go through `visible_to(user)` with the list page's FilterSet. A signed-in user (bearer
token) registers in one click and cancels their own registration through the same services
as the pages; anyone verifies a certificate by its code."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import (
    ApiError,
    BoundedPageNumberPagination,
    PayloadSchema,
    filter_schema,
    filtered,
)
from sti.training import access, services
from sti.training.filters import CourseFilter
from sti.training.models import Course, Registration

router = Router(tags=["training"])
PAGE_SIZE = 25


CourseFilterParams = filter_schema(CourseFilter, "CourseFilterParams")


class SessionOut(Schema):
    starts_at: datetime
    ends_at: datetime
    topic: str


class CourseOut(Schema):
    id: int
    title: str
    description: str
    audience: str
    organizer: str = Field(..., alias="organizer.name")
    delivery: str
    place: str
    online_url: str
    capacity: int
    has_waiting_list: bool
    registration_opens: datetime | None
    registration_closes: datetime | None
    fee: int | None
    status: str
    starts_on: date | None
    ends_on: date | None
    fields: list[str]
    trainers: list[str]
    sessions: list[SessionOut]
    url: str

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return [f.code for f in obj.fields.all()]

    @staticmethod
    def resolve_trainers(obj) -> list[str]:
        return [t.display_name for t in obj.trainers.all()]

    @staticmethod
    def resolve_sessions(obj):
        return list(obj.sessions.all())

    @staticmethod
    def resolve_fee(obj) -> int | None:
        return int(obj.fee) if obj.fee is not None else None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class RegistrationIn(PayloadSchema):
    gender: str = ""


class RegistrationOut(Schema):
    id: int
    course: int = Field(..., alias="course_id")
    status: str
    created_at: datetime


class CertificateOut(Schema):
    number: str
    holder_name: str
    course: str
    organizer: str
    issued_on: date


def _courses(request):
    return (
        Course.objects.visible_to(optional_user(request))
        .select_related("organizer")
        .prefetch_related("fields", "trainers__researcher", "sessions")
    )


@router.get("/courses", response=list[CourseOut], summary="Danh sách khóa đào tạo")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_courses(request, filters: Query[CourseFilterParams]):
    return filtered(CourseFilter(request.GET, queryset=_courses(request)))


@router.get("/courses/{pk}", response=CourseOut, summary="Một khóa đào tạo")
def get_course(request, pk: int):
    return get_object_or_404(_courses(request), pk=pk)


@router.post(
    "/courses/{pk}/registrations",
    auth=token_auth,
    response={201: RegistrationOut},
    summary="Đăng ký khóa học (tài khoản của khóa API)",
)
def register(request, pk: int, payload: RegistrationIn):
    course = get_object_or_404(Course.objects.visible_to(request.auth), pk=pk)
    try:
        registration = services.register_user(request.auth, course, gender=payload.gender)
    except ValidationError as error:
        # Full, closed or already registered: a conflict with the course's state.
        raise ApiError(409, " ".join(error.messages)) from error
    return Status(201, registration)


@router.delete(
    "/registrations/{pk}",
    auth=token_auth,
    response=RegistrationOut,
    summary="Hủy đăng ký",
)
def cancel(request, pk: int):
    registration = get_object_or_404(
        Registration.objects.visible_to(request.auth).select_related("course"), pk=pk
    )
    try:
        services.cancel_registration(request.auth, registration)
    except PermissionDenied as error:
        raise PermissionDenied(_("Bạn không có quyền hủy đăng ký này.")) from error
    except ValidationError as error:
        raise ApiError(409, " ".join(error.messages)) from error
    return registration


@router.get(
    "/certificates/{code}",
    response=CertificateOut,
    summary="Xác thực chứng nhận",
)
def verify_certificate(request, code: str):
    certificate = access.get_certificate_by_code(code)
    if certificate is None:
        raise ApiError(404, _("Không có chứng nhận nào mang mã này."))
    course = certificate.registration.course
    return {
        "number": certificate.number,
        "holder_name": certificate.holder_name,
        "course": course.title,
        "organizer": course.organizer.name,
        "issued_on": certificate.issued_on,
    }
