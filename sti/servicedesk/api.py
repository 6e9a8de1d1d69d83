"""REST API of the service desk (mounted at /api/servicedesk/).

- `POST /requests` (public, rate-limited like the form): submit a request; the answer
  carries the reference and the private tracking token.
- `GET /track/{token}`: the requester's view of their request (never internal notes).
- `GET /requests`, `GET /requests/{id}`: through `visible_to` (editors: all; a signed-in
  requester: their own); internal notes only for editors.
- Editors' writes need a bearer token (401 without, 403 for a non-editor): assign, move,
  notes, messages, answer. Refused moves answer 403/409 through the portal's handler.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import (
    ApiError,
    BoundedPageNumberPagination,
    ErrorOut,
    PayloadSchema,
    filter_schema,
    filtered,
)
from sti.servicedesk import links, services, spam
from sti.servicedesk.access import get_request_by_token, is_editor
from sti.servicedesk.choices import RequestStatus, ServiceKind
from sti.servicedesk.filters import RequestFilter
from sti.servicedesk.models import ServiceRequest

router = Router(tags=["servicedesk"])
PAGE_SIZE = 25


RequestFilterParams = filter_schema(RequestFilter, "RequestFilterParams")


class MessageOut(Schema):
    from_requester: bool
    body: str
    created_at: datetime


class LinkOut(Schema):
    noun: str
    title: str
    url: str


class NoteOut(Schema):
    author: str
    body: str
    created_at: datetime


class RequestOut(Schema):
    """What the requester and staff both read."""

    reference: str
    kind: str
    kind_label: str
    subject: str
    description: str
    status: str
    status_label: str
    received_at: datetime
    due_on: date
    desired_deadline: date | None
    answer: str
    answered_at: datetime | None
    rating: int | None
    rating_comment: str
    messages: list[MessageOut]
    links: list[LinkOut]


class StaffRequestOut(RequestOut):
    id: int
    requester_name: str
    requester_organization: str
    requester_phone: str
    requester_email: str
    assignee: str | None
    internal_notes: list[NoteOut] | None = None


class RequestListOut(Schema):
    id: int
    reference: str
    kind: str
    subject: str
    status: str
    received_at: datetime
    due_on: date
    assignee: str | None

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return str(obj.assignee) if obj.assignee_id else None


class SubmitIn(PayloadSchema):
    kind: ServiceKind
    subject: str = Field(min_length=3, max_length=300)
    description: str = Field(min_length=3, max_length=10000)
    requester_name: str = Field(min_length=2, max_length=150)
    requester_organization: str = Field("", max_length=300)
    requester_phone: str = Field("", max_length=30)
    requester_email: str = Field(max_length=254)
    desired_deadline: date | None = None
    consent: bool


class SubmittedOut(Schema):
    reference: str
    tracking_token: str
    due_on: date


class AssignIn(PayloadSchema):
    assignee: int
    note: str = Field("", max_length=2000)


class RequestMoveIn(PayloadSchema):
    target: RequestStatus
    note: str = Field("", max_length=5000)


class TextIn(PayloadSchema):
    body: str = Field(min_length=1, max_length=10000)


class AnswerIn(PayloadSchema):
    answer: str = Field(min_length=1, max_length=50000)


def _public_part(service_request, viewer) -> dict:
    return {
        "reference": service_request.reference,
        "kind": service_request.kind,
        "kind_label": str(service_request.get_kind_display()),
        "subject": service_request.subject,
        "description": service_request.description,
        "status": service_request.status,
        "status_label": str(service_request.get_status_display()),
        "received_at": service_request.received_at,
        "due_on": service_request.due_on,
        "desired_deadline": service_request.desired_deadline,
        "answer": service_request.answer if service_request.first_answered_at is not None else "",
        "answered_at": service_request.answered_at,
        "rating": service_request.rating,
        "rating_comment": service_request.rating_comment,
        "messages": [
            {"from_requester": m.from_requester, "body": m.body, "created_at": m.created_at}
            for m in service_request.messages.all()
        ],
        "links": [
            {"noun": link.noun, "title": link.title, "url": link.url}
            for link in links.visible_links(list(service_request.linked_records.all()), viewer)
        ],
    }


def _staff_part(service_request, viewer) -> dict:
    data = _public_part(service_request, viewer)
    data.update(
        id=service_request.pk,
        requester_name=service_request.requester_name,
        requester_organization=service_request.requester_organization,
        requester_phone=service_request.requester_phone,
        requester_email=service_request.requester_email,
        assignee=str(service_request.assignee) if service_request.assignee_id else None,
    )
    if is_editor(viewer):
        data["internal_notes"] = [
            {"author": str(n.author or ""), "body": n.body, "created_at": n.created_at}
            for n in service_request.internal_notes.select_related("author")
        ]
    return data


def _visible(user):
    return ServiceRequest.objects.visible_to(user).select_related("assignee")


def _editor(request):
    if not is_editor(request.auth):
        raise PermissionDenied(_("Chỉ cán bộ Trung tâm được xử lý yêu cầu."))
    return request.auth


@router.post(
    "/requests",
    response={201: SubmittedOut, 429: ErrorOut},
    summary="Gửi yêu cầu dịch vụ KH&CN",
)
def submit(request, payload: SubmitIn):
    if spam.over_limit(request):
        raise ApiError(429, _("Gửi quá nhiều yêu cầu; vui lòng thử lại sau."))
    service_request = services.submit_request(optional_user(request), payload.dict())
    spam.count_submission(request)
    return Status(
        201,
        {
            "reference": service_request.reference,
            "tracking_token": service_request.tracking_token,
            "due_on": service_request.due_on,
        },
    )


@router.get("/track/{token}", response=RequestOut, summary="Theo dõi yêu cầu bằng liên kết riêng")
def track(request, token: str):
    service_request = get_request_by_token(token)
    return _public_part(service_request, optional_user(request))


@router.get("/requests", response=list[RequestListOut], summary="Danh sách yêu cầu")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_requests(request, filters: Query[RequestFilterParams]):
    user = optional_user(request)
    return filtered(RequestFilter(request.GET, queryset=_visible(user), request=request))


@router.get("/requests/{pk}", response=StaffRequestOut, summary="Một yêu cầu")
def get_request(request, pk: int):
    user = optional_user(request)
    return _staff_part(get_object_or_404(_visible(user), pk=pk), user)


def _load_for_editor(request, pk):
    actor = _editor(request)
    return actor, get_object_or_404(_visible(actor), pk=pk)


@router.post(
    "/requests/{pk}/assign",
    auth=token_auth,
    response=StaffRequestOut,
    summary="Phân công (biên tập viên)",
)
def assign(request, pk: int, payload: AssignIn):
    actor, service_request = _load_for_editor(request, pk)
    assignee = get_user_model().objects.filter(pk=payload.assignee, is_active=True).first()
    services.assign_request(actor, service_request, assignee, note=payload.note)
    return _staff_part(_visible(actor).get(pk=pk), actor)


@router.post(
    "/requests/{pk}/move",
    auth=token_auth,
    response=StaffRequestOut,
    summary="Chuyển trạng thái (biên tập viên)",
)
def move(request, pk: int, payload: RequestMoveIn):
    actor, service_request = _load_for_editor(request, pk)
    services.move_request(actor, service_request, payload.target, note=payload.note)
    return _staff_part(_visible(actor).get(pk=pk), actor)


@router.post(
    "/requests/{pk}/notes",
    auth=token_auth,
    response={201: NoteOut},
    summary="Ghi chú nội bộ (biên tập viên)",
)
def add_note(request, pk: int, payload: TextIn):
    actor, service_request = _load_for_editor(request, pk)
    note = services.add_note(actor, service_request, payload.body)
    return Status(201, {"author": str(actor), "body": note.body, "created_at": note.created_at})


@router.post(
    "/requests/{pk}/messages",
    auth=token_auth,
    response={201: MessageOut},
    summary="Gửi trao đổi cho người yêu cầu (biên tập viên)",
)
def post_message(request, pk: int, payload: TextIn):
    actor, service_request = _load_for_editor(request, pk)
    message = services.post_message(actor, service_request, payload.body)
    return Status(
        201,
        {
            "from_requester": message.from_requester,
            "body": message.body,
            "created_at": message.created_at,
        },
    )


@router.post(
    "/requests/{pk}/answer",
    auth=token_auth,
    response=StaffRequestOut,
    summary="Trả lời yêu cầu (biên tập viên)",
)
def answer(request, pk: int, payload: AnswerIn):
    actor, service_request = _load_for_editor(request, pk)
    services.answer_request(actor, service_request, payload.answer)
    return _staff_part(_visible(actor).get(pk=pk), actor)
