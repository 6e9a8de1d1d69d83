"""REST API of the service desk (mounted at /api/servicedesk/).

- `POST /requests` (public, rate-limited like the form): submit a request; the answer
  carries the reference and the private tracking token.
- `GET /track/{token}`: the requester's view of their request (never internal notes).
- `GET /requests`, `GET /requests/{id}`: through `visible_to` (editors: all; a signed-in
  requester: their own); internal notes only for editors.
- Editors' writes need a bearer token (401 without, 403 for a non-editor): assign, move,
  notes, messages, answer. Refused moves answer 403/409 through the portal's handler.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import BoundedPageNumberPagination
from sti.core.statemachine import TransitionError
from sti.servicedesk import links, services, spam
from sti.servicedesk.access import get_request_by_token, is_editor
from sti.servicedesk.choices import RequestStatus, ServiceKind
from sti.servicedesk.filters import RequestFilter
from sti.servicedesk.models import ServiceRequest

router = Router(tags=["servicedesk"])
PAGE_SIZE = 25


class ErrorOut(Schema):
    detail: dict | str


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


class SubmitIn(Schema):
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


class AssignIn(Schema):
    assignee: int
    note: str = Field("", max_length=2000)


class MoveIn(Schema):
    target: RequestStatus
    note: str = Field("", max_length=5000)


class TextIn(Schema):
    body: str = Field(min_length=1, max_length=10000)


class AnswerIn(Schema):
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
        raise HttpError(403, _("Chỉ cán bộ Trung tâm được xử lý yêu cầu."))
    return request.auth


def _refusal(error: ValidationError):
    if isinstance(error, TransitionError):
        raise error
    return Status(422, {"detail": {"__all__": error.messages}})


@router.post(
    "/requests",
    response={201: SubmittedOut, 422: ErrorOut, 429: ErrorOut},
    summary="Gửi yêu cầu dịch vụ KH&CN",
)
def submit(request, payload: SubmitIn):
    if spam.over_limit(request):
        return Status(429, {"detail": _("Gửi quá nhiều yêu cầu; vui lòng thử lại sau.")})
    try:
        service_request = services.submit_request(optional_user(request), payload.dict())
    except ValidationError as error:
        return _refusal(error)
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
def list_requests(
    request, status: str | None = None, kind: str | None = None, q: str | None = None
):
    user = optional_user(request)
    filterset = RequestFilter(request.GET, queryset=_visible(user), request=request)
    if not filterset.is_valid():
        raise HttpError(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    return filterset.qs


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
    response={200: StaffRequestOut, 422: ErrorOut},
    summary="Phân công (biên tập viên)",
)
def assign(request, pk: int, payload: AssignIn):
    actor, service_request = _load_for_editor(request, pk)
    assignee = get_user_model().objects.filter(pk=payload.assignee, is_active=True).first()
    try:
        services.assign_request(actor, service_request, assignee, note=payload.note)
    except ValidationError as error:
        return _refusal(error)
    return Status(200, _staff_part(_visible(actor).get(pk=pk), actor))


@router.post(
    "/requests/{pk}/move",
    auth=token_auth,
    response={200: StaffRequestOut, 422: ErrorOut},
    summary="Chuyển trạng thái (biên tập viên)",
)
def move(request, pk: int, payload: MoveIn):
    actor, service_request = _load_for_editor(request, pk)
    try:
        services.move_request(actor, service_request, payload.target, note=payload.note)
    except ValidationError as error:
        return _refusal(error)
    return Status(200, _staff_part(_visible(actor).get(pk=pk), actor))


@router.post(
    "/requests/{pk}/notes",
    auth=token_auth,
    response={201: NoteOut, 422: ErrorOut},
    summary="Ghi chú nội bộ (biên tập viên)",
)
def add_note(request, pk: int, payload: TextIn):
    actor, service_request = _load_for_editor(request, pk)
    try:
        note = services.add_note(actor, service_request, payload.body)
    except ValidationError as error:
        return _refusal(error)
    return Status(201, {"author": str(actor), "body": note.body, "created_at": note.created_at})


@router.post(
    "/requests/{pk}/messages",
    auth=token_auth,
    response={201: MessageOut, 422: ErrorOut},
    summary="Gửi trao đổi cho người yêu cầu (biên tập viên)",
)
def post_message(request, pk: int, payload: TextIn):
    actor, service_request = _load_for_editor(request, pk)
    try:
        message = services.post_message(actor, service_request, payload.body)
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            raise HttpError(403, str(error)) from error
        return _refusal(error)
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
    response={200: StaffRequestOut, 422: ErrorOut},
    summary="Trả lời yêu cầu (biên tập viên)",
)
def answer(request, pk: int, payload: AnswerIn):
    actor, service_request = _load_for_editor(request, pk)
    try:
        services.answer_request(actor, service_request, payload.answer)
    except ValidationError as error:
        return _refusal(error)
    return Status(200, _staff_part(_visible(actor).get(pk=pk), actor))
