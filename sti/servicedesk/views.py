"""Pages of the service desk: the public intake form and its acknowledgement, the request
page (staff and signed-in requester) and the private tracking page (link holder), the
requester's and the staff's actions, the list, the statistics and the exports. Views load
through `access.py`, call a service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core.audit import history_for
from sti.core.downloads import ranged_file_response
from sti.core.exports import export_response
from sti.core.statemachine import confirmed_in
from sti.core.validators import as_pk
from sti.servicedesk import exports, lifecycle, links, services, spam, stats
from sti.servicedesk.access import (
    can_rate_request,
    can_read_internal_notes,
    can_write_message,
    get_request_by_token,
    get_request_for_user,
    is_editor,
    is_requester,
)
from sti.servicedesk.choices import AttachmentKind, RequestStatus
from sti.servicedesk.filters import RequestFilter
from sti.servicedesk.forms import (
    AnswerForm,
    AssignForm,
    IntakeForm,
    LinkForm,
    MessageForm,
    MoveForm,
    NoteForm,
    RatingForm,
    RequesterMoveForm,
)
from sti.servicedesk.models import Attachment, Message, ServiceRequest

PAGE_SIZE = 25
SUBMITTED_KEY = "servicedesk_submitted"
# Moves the staff make with their own forms rather than the generic move buttons.
_OWN_FORMS = (RequestStatus.ASSIGNED, RequestStatus.ANSWERED)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------------------
# Intake (public)
# ---------------------------------------------------------------------------
def request_create(request):
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, user=request.user)
        if form.is_robot:
            form.add_error(None, _("Không gửi được yêu cầu. Vui lòng thử lại."))
            status = 400
        elif spam.over_limit(request):
            form.add_error(
                None,
                _("Bạn đã gửi nhiều yêu cầu trong thời gian ngắn; vui lòng thử lại sau ít phút."),
            )
            status = 429
        elif form.is_valid():
            try:
                service_request = services.submit_request(
                    request.user, form.cleaned_data, files=form.cleaned_data["attachments"]
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                spam.count_submission(request)
                request.session[SUBMITTED_KEY] = service_request.pk
                return redirect("servicedesk:request_submitted")
    else:
        form = IntakeForm(user=request.user)
    return render(request, "servicedesk/request_form.html", {"form": form}, status=status)


def request_submitted(request):
    """The acknowledgement, once, to the browser that sent the request."""
    pk = request.session.get(SUBMITTED_KEY)
    service_request = ServiceRequest.objects.filter(pk=pk).first() if pk else None
    if service_request is None:
        return redirect("servicedesk:request_create")
    return render(request, "servicedesk/request_submitted.html", {"req": service_request})


# ---------------------------------------------------------------------------
# Reading a request
# ---------------------------------------------------------------------------
def _detail_context(request, service_request, *, token: str | None) -> dict:
    viewer = request.user
    staff = is_editor(viewer) and token is None
    as_requester = token is not None or is_requester(viewer, service_request)
    thread = list(
        Message.objects.filter(request=service_request)
        .select_related("author")
        .prefetch_related("attachments")
    )
    files = list(
        Attachment.objects.filter(request=service_request, message__isnull=True).order_by(
            "created_at", "id"
        )
    )
    context = {
        "req": service_request,
        "token": token,
        "staff": staff,
        "as_requester": as_requester,
        "thread": thread,
        "request_files": [f for f in files if f.kind == AttachmentKind.REQUEST],
        "answer_files": [f for f in files if f.kind == AttachmentKind.ANSWER],
        "links": links.visible_links(list(service_request.linked_records.all()), viewer),
        "overdue": service_request.is_overdue(),
        "can_message": can_write_message(service_request) and (staff or as_requester),
        "message_form": MessageForm(),
        "reopen_days": lifecycle.reopen_days(),
    }
    if as_requester:
        actor = None if token is not None else viewer
        context["requester_moves"] = [
            move
            for move in lifecycle.REQUEST.available_moves(actor, service_request)
            if move.target in lifecycle.REQUESTER_TARGETS and not (staff and actor is viewer)
        ]
        context["rating_form"] = RatingForm() if can_rate_request(service_request) else None
    if staff and can_read_internal_notes(viewer):
        context.update(
            notes=list(service_request.internal_notes.select_related("author")),
            moves=[
                move
                for move in lifecycle.REQUEST.available_moves(viewer, service_request)
                if move.target not in _OWN_FORMS
            ],
            can_answer=RequestStatus.ANSWERED
            in lifecycle.REQUEST.targets_from(service_request.status),
            assign_form=AssignForm(initial={"assignee": service_request.assignee_id})
            if service_request.is_open
            else None,
            note_form=NoteForm(),
            link_form=LinkForm(),
            history=list(history_for(service_request)[:30]),
        )
    return context


def request_detail(request, pk):
    service_request = get_request_for_user(request.user, pk)
    return render(
        request,
        "servicedesk/request_detail.html",
        _detail_context(request, service_request, token=None),
    )


def tracking(request, token):
    service_request = get_request_by_token(token)
    response = render(
        request,
        "servicedesk/request_detail.html",
        _detail_context(request, service_request, token=token),
    )
    response["Referrer-Policy"] = "no-referrer"  # the link must not leak to linked sites
    response["X-Robots-Tag"] = "noindex"
    return response


def _load(request, pk=None, token=None):
    if token is not None:
        return get_request_by_token(token)
    return get_request_for_user(request.user, pk)


def _back(service_request, token):
    if token is not None:
        return redirect("servicedesk:tracking", token=token)
    return redirect(service_request)


def attachment_download(request, attachment_id, pk=None, token=None):
    service_request = _load(request, pk, token)
    attachment = Attachment.objects.filter(request=service_request, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return ranged_file_response(
        request,
        attachment.file,
        attachment.mime_type,
        filename=attachment.original_name,
        as_attachment=True,
    )


# ---------------------------------------------------------------------------
# The requester's actions (and staff messages), signed in or through the link
# ---------------------------------------------------------------------------
@require_POST
def post_message(request, pk=None, token=None):
    service_request = _load(request, pk, token)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_message(
                request.user,
                service_request,
                form.cleaned_data["body"],
                token=token,
                files=form.cleaned_data["attachments"],
            )
            messages.success(request, _("Đã gửi trao đổi."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back(service_request, token)


@require_POST
def rate(request, pk=None, token=None):
    service_request = _load(request, pk, token)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn mức hài lòng từ 1 đến 5."))
        return _back(service_request, token)
    try:
        services.rate_request(
            request.user,
            service_request,
            form.cleaned_data["rating"],
            form.cleaned_data["comment"],
            token=token,
        )
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _back(service_request, token)


@require_POST
def requester_move(request, pk=None, token=None):
    service_request = _load(request, pk, token)
    form = RequesterMoveForm(request.POST)
    if form.is_valid():
        try:
            services.requester_move(
                request.user,
                service_request,
                form.cleaned_data["target"],
                token=token,
                note=form.cleaned_data["note"],
                confirmed=confirmed_in(request.POST),
            )
            messages.success(request, _("Đã cập nhật yêu cầu."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return _back(service_request, token)


# ---------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------
def _staff_post(request, pk, form_class, act, success):
    """Load for an editor, validate `form_class`, call `act(form, obj)`."""
    service_request = get_request_for_user(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(form, service_request)
            messages.success(request, success)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(service_request)


@require_POST
@editor_required
def assign(request, pk):
    return _staff_post(
        request,
        pk,
        AssignForm,
        lambda form, obj: services.assign_request(
            request.user, obj, form.cleaned_data["assignee"], note=form.cleaned_data["note"]
        ),
        _("Đã phân công."),
    )


@require_POST
@editor_required
def move(request, pk):
    return _staff_post(
        request,
        pk,
        MoveForm,
        lambda form, obj: services.move_request(
            request.user,
            obj,
            form.cleaned_data["target"],
            note=form.cleaned_data["note"],
            confirmed=confirmed_in(request.POST),
        ),
        _("Đã chuyển trạng thái."),
    )


@require_POST
@editor_required
def add_note(request, pk):
    return _staff_post(
        request,
        pk,
        NoteForm,
        lambda form, obj: services.add_note(request.user, obj, form.cleaned_data["body"]),
        _("Đã thêm ghi chú nội bộ."),
    )


@require_POST
@editor_required
def add_link(request, pk):
    return _staff_post(
        request,
        pk,
        LinkForm,
        lambda form, obj: services.link_record(
            request.user, obj, form.cleaned_data["model"], form.cleaned_data["object_id"]
        ),
        _("Đã liên kết bản ghi."),
    )


@require_POST
@editor_required
def remove_link(request, pk, link_id):
    service_request = get_request_for_user(request.user, pk)
    try:
        services.unlink_record(request.user, service_request, link_id)
        messages.success(request, _("Đã bỏ liên kết."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(service_request)


@editor_required
def answer(request, pk):
    service_request = get_request_for_user(request.user, pk)
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer_request(
                    request.user,
                    service_request,
                    form.cleaned_data["answer"],
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Đã gửi trả lời cho người yêu cầu."))
                return redirect(service_request)
    else:
        form = AnswerForm(initial={"answer": service_request.answer})
    return render(request, "servicedesk/answer_form.html", {"req": service_request, "form": form})


# ---------------------------------------------------------------------------
# Lists, statistics, exports
# ---------------------------------------------------------------------------
def _filtered(request):
    queryset = ServiceRequest.objects.visible_to(request.user).select_related("assignee")
    return RequestFilter(request.GET, queryset=queryset, request=request)


@login_required
def request_list(request):
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "servicedesk/request_list.html",
        {"page": page, "filter": filterset, "staff": is_editor(request.user)},
    )


@editor_required
def request_export(request, fmt):
    return export_response(
        exports.REQUEST_COLUMNS,
        exports.request_rows(_filtered(request).qs),
        fmt,
        "yeu-cau-dich-vu",
        sheet_title=_("Yêu cầu dịch vụ"),
    )


def _year(request) -> int | None:
    value = request.GET.get("nam", "")
    year = as_pk(value) if value else None
    return year if year and 2000 <= year <= 2100 else None


@editor_required
def statistics(request):
    year = _year(request)
    figures = stats.compute(request.user, year=year)
    context = {
        "figures": figures,
        "years": stats.years(request.user),
        "year": year,
        "export_query": f"?nam={year}" if year else "",
    }
    return render(request, "servicedesk/statistics.html", context)


@editor_required
def statistics_export(request, fmt):
    figures = stats.compute(request.user, year=_year(request))
    return export_response(
        exports.MONTH_COLUMNS,
        exports.month_rows(figures),
        fmt,
        "thong-ke-dich-vu",
        sheet_title=_("Thống kê"),
    )
