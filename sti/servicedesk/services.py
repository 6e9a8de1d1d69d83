"""Workflows of the service desk: intake, assignment, notes, messages, the answer, links,
the requester's moves and rating. Each verb checks who acts, runs in one transaction, writes
an audit row and sends its e-mail after the commit; `lifecycle.REQUEST.move` is the only
writer of a request's status.

A requester acts either signed in (their account made the request) or through the private
tracking link (`token`); `_requester_actor` checks one or the other and gives the actor the
state machine sees (the user, or None for the link holder, who holds SYSTEM).
"""

from __future__ import annotations

import hashlib
import logging
import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit, uploads
from sti.core.choices import AuditAction
from sti.core.text import normalize
from sti.servicedesk import lifecycle, links
from sti.servicedesk.access import (
    can_rate_request,
    can_write_message,
    is_editor,
    is_requester,
)
from sti.servicedesk.choices import AttachmentKind, RequestStatus
from sti.servicedesk.models import (
    Attachment,
    InternalNote,
    LinkedRecord,
    Message,
    ReferenceCounter,
    ServiceRequest,
    standard_days,
)

logger = logging.getLogger(__name__)
REFERENCE_PREFIX = "YC"
MAX_ATTACHMENTS = 5


# ---------------------------------------------------------------------------
# Reference numbers
# ---------------------------------------------------------------------------
def next_reference(year: int) -> tuple[int, str]:
    """The next number of `year` and its reference (YC-2026-0042). Must run inside the
    transaction that saves the request: the year's counter row stays locked until it ends,
    so concurrent intakes get consecutive, distinct numbers."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return counter.last, f"{REFERENCE_PREFIX}-{year}-{counter.last:04d}"


# ---------------------------------------------------------------------------
# Attachments (checked by content: the shared sti.core.uploads check)
# ---------------------------------------------------------------------------
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    uploaded: object  # a Django UploadedFile
    name: str
    mime_type: str


def _safe_name(name: str) -> str:
    base = os.path.basename(str(name).replace("\\", "/")).strip()
    base = normalize("".join(ch for ch in base if ch.isprintable()))
    return base[:200] or "tep"


def check_uploads(files) -> list[CheckedUpload]:
    """Check uploaded files (count, size, type by content through `uploads.check_uploaded`);
    raises ValidationError naming the refused file. Nothing is written."""
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("Chỉ được gửi tối đa %(count)s tệp.") % {"count": MAX_ATTACHMENTS})
    limit = settings.STI_MAX_UPLOAD_MB * 1024 * 1024
    checked = []
    for upload in files:
        name = _safe_name(upload.name)
        try:
            if upload.size > limit:
                raise uploads.UploadRejected(
                    _("Tệp quá lớn: vượt giới hạn %(limit)s MB.")
                    % {"limit": settings.STI_MAX_UPLOAD_MB}
                )
            result = uploads.check_uploaded(upload, accept=uploads.DOCUMENTS)
        except uploads.UploadRejected as error:
            raise ValidationError(
                _("Tệp “%(name)s”: %(reason)s") % {"name": name, "reason": " ".join(error.messages)}
            ) from error
        checked.append(CheckedUpload(upload, name, result.mime_type))
    return checked


class _Placed(list):
    """Stored files (FieldFiles) written during a workflow; removed again if its transaction
    fails."""

    def remove(self) -> None:
        for stored in self:
            stored.storage.delete(stored.name)


def _attach(request, files, kind, placed: _Placed, *, actor=None, message=None):
    """Check the uploads (`check_uploads`: the form did too, an API call may not have), store
    them (a random name, on the configured storage) and record them."""
    made = []
    for item in check_uploads(files):
        digest, size = hashlib.sha256(), 0
        item.uploaded.seek(0)
        for chunk in item.uploaded.chunks(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        item.uploaded.seek(0)
        attachment = Attachment(
            request=request,
            kind=kind,
            message=message,
            original_name=item.name,
            mime_type=item.mime_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        attachment.file.save(item.name, item.uploaded, save=False)
        placed.append(attachment.file)
        attachment.save()
        made.append(attachment)
    return made


def _with_files(work):
    """Run `work(placed)` in one transaction; on failure remove the files it wrote."""
    placed = _Placed()
    try:
        with transaction.atomic():
            return work(placed)
    except BaseException:
        placed.remove()
        raise


# ---------------------------------------------------------------------------
# E-mail to the requester (after the commit; a failing mail server is logged, never raised)
# ---------------------------------------------------------------------------
def _send(request: ServiceRequest, template: str, subject: str, **extra) -> None:
    context = {
        "request": request,
        "tracking_url": settings.SITE_URL + request.get_tracking_url(),
        "center_name": settings.SITE_NAME,
        **extra,
    }
    body = render_to_string(f"servicedesk/email/{template}.txt", context)
    try:
        send_mail(
            f"[{request.reference}] {subject}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [request.requester_email],
        )
    except Exception:  # noqa: BLE001 – a mail outage must not undo the committed work
        logger.exception("service desk mail %s for %s failed", template, request.reference)


_quiet: ContextVar[bool] = ContextVar("servicedesk_quiet", default=False)


@contextmanager
def without_mail():
    """Record requests without e-mailing their requesters (the demo data)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _mail_on_commit(request, template: str, subject: str, **extra) -> None:
    if _quiet.get():
        return
    transaction.on_commit(partial(_send, request, template, str(subject), **extra))


# ---------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------
REQUESTER_FIELDS = (
    "requester_name",
    "requester_organization",
    "requester_phone",
    "requester_email",
)
TEXT_FIELDS = ("subject", "description", *REQUESTER_FIELDS)


def due_date(kind: str, received, desired):
    """The date the center answers by: the requester's wish, or the service's standard
    time when none was given (or the wish is sooner than the center can promise)."""
    standard = timezone.localtime(received).date() + timedelta(days=standard_days(kind))
    return desired if desired is not None and desired >= standard else standard


def submit_request(actor, data: dict, *, files=()) -> ServiceRequest:
    """Record a request from the public form or the API. `data` holds kind, subject,
    description, the requester's contact fields, desired_deadline and consent; `files`
    the uploaded files (checked again here: `check_uploads`). The e-mail with the tracking link goes out
    after the commit."""
    if not data.get("consent"):
        raise ValidationError(_("Cần đồng ý cho Trung tâm lưu trữ thông tin để xử lý yêu cầu."))
    values = {name: normalize(str(data.get(name) or "")).strip() for name in TEXT_FIELDS}
    desired = data.get("desired_deadline")
    if desired is not None and desired < timezone.localdate():
        raise ValidationError(_("Thời hạn mong muốn không được ở quá khứ."))
    user = actor if actor is not None and actor.is_authenticated else None

    def work(placed):
        now = timezone.now()
        year = timezone.localtime(now).year
        number, reference = next_reference(year)
        request = ServiceRequest(
            **values,
            kind=data["kind"],
            desired_deadline=data.get("desired_deadline"),
            consent=True,
            requester=user,
            year=year,
            number=number,
            reference=reference,
            received_at=now,
            due_on=due_date(data["kind"], now, data.get("desired_deadline")),
        )
        request.full_clean(exclude=["tracking_nonce"])
        request.save()
        _attach(request, files, AttachmentKind.REQUEST, placed, actor=user)
        audit.record_create(user, request)
        _mail_on_commit(request, "received", _("Trung tâm đã nhận yêu cầu của bạn"))
        return request

    return _with_files(work)


# ---------------------------------------------------------------------------
# Staff: assignment, moves, notes, answer, links
# ---------------------------------------------------------------------------
def _require_editor(actor) -> None:
    if not is_editor(actor):
        raise PermissionDenied(_("Chỉ cán bộ Trung tâm được xử lý yêu cầu."))


def assign_request(actor, request: ServiceRequest, assignee, *, note: str = "") -> ServiceRequest:
    """Give the request to a staff member: the "assign" move from "received", a plain
    audited change of assignee afterwards (while the request is open)."""
    _require_editor(actor)
    if assignee is None or not assignee.is_editor:
        raise ValidationError(_("Chỉ giao được cho cán bộ biên tập của Trung tâm."))
    if request.status == RequestStatus.RECEIVED:
        return lifecycle.REQUEST.move(
            actor, request, RequestStatus.ASSIGNED, note=note, assignee=assignee
        )
    if not request.is_open:
        raise ValidationError(_("Yêu cầu đã kết thúc, không thể giao lại."))
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        before = audit.snapshot(locked)
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        audit.record_update(actor, locked, before, note=note)
    request.assignee = assignee
    return locked


def move_request(
    actor, request: ServiceRequest, target: str, *, note: str = "", confirmed: bool = True
) -> ServiceRequest:
    """A staff move from the table (start, wait for the requester, reject, close); a page
    passes `confirmed` for an irreversible one (reject)."""
    _require_editor(actor)
    moved = lifecycle.REQUEST.move(actor, request, target, note=note, confirmed=confirmed)
    if target == RequestStatus.WAITING and note.strip():
        Message.objects.create(request=moved, author=actor, body=normalize(note).strip())
        _mail_on_commit(moved, "message", _("Trung tâm cần bạn bổ sung thông tin"), body=note)
    elif target == RequestStatus.REJECTED:
        _mail_on_commit(moved, "rejected", _("Yêu cầu không được tiếp nhận xử lý"))
    return moved


def add_note(actor, request: ServiceRequest, body: str) -> InternalNote:
    """An internal note: staff only, never in a page, API answer or e-mail for the requester."""
    _require_editor(actor)
    body = normalize(body or "").strip()
    if not body:
        raise ValidationError(_("Ghi chú không được để trống."))
    with transaction.atomic():
        note = InternalNote.objects.create(request=request, author=actor, body=body)
        audit.record(actor, AuditAction.UPDATE, request, {}, note=_("Thêm ghi chú nội bộ"))
    return note


def answer_request(
    actor, request: ServiceRequest, answer: str, *, files=(), note: str = ""
) -> ServiceRequest:
    """The answer (text and files): the "answer" move; the requester is told by e-mail."""
    _require_editor(actor)
    answer = normalize(answer or "").strip()

    def work(placed):
        moved = lifecycle.REQUEST.move(
            actor, request, RequestStatus.ANSWERED, note=note, answer=answer
        )
        _attach(moved, files, AttachmentKind.ANSWER, placed, actor=actor)
        _mail_on_commit(
            moved,
            "answered",
            _("Trung tâm đã trả lời yêu cầu của bạn"),
            reopen_days=lifecycle.reopen_days(),
        )
        return moved

    return _with_files(work)


def link_record(actor, request: ServiceRequest, label: str, object_id) -> LinkedRecord:
    """Link a record of a linkable model (`links.LINKABLE`) the editor may see."""
    _require_editor(actor)
    model = links.resolve(label, object_id)
    if model is None:
        raise ValidationError(_("Loại bản ghi này không liên kết được."))
    target = model.objects.visible_to(actor).filter(pk=object_id).first() if object_id else None
    if target is None:
        raise ValidationError(_("Không tìm thấy bản ghi số %(pk)s.") % {"pk": object_id})
    content_type = ContentType.objects.get_for_model(model)
    try:
        with transaction.atomic():
            link = LinkedRecord.objects.create(
                request=request, content_type=content_type, object_id=target.pk, added_by=actor
            )
            audit.record(
                actor,
                AuditAction.UPDATE,
                request,
                {"linked_records": [None, f"{label}:{target.pk}"]},
                note=_("Liên kết bản ghi"),
            )
    except IntegrityError as error:
        raise ValidationError(_("Bản ghi này đã được liên kết.")) from error
    return link


def unlink_record(actor, request: ServiceRequest, link_id) -> None:
    _require_editor(actor)
    with transaction.atomic():
        link = LinkedRecord.objects.filter(request=request, pk=link_id).first()
        if link is None:
            raise ValidationError(_("Không tìm thấy liên kết."))
        key = f"{link.content_type.app_label}.{link.content_type.model}:{link.object_id}"
        link.delete()
        audit.record(
            actor,
            AuditAction.UPDATE,
            request,
            {"linked_records": [key, None]},
            note=_("Bỏ liên kết bản ghi"),
        )


# ---------------------------------------------------------------------------
# Both sides: messages
# ---------------------------------------------------------------------------
def _requester_actor(actor, request: ServiceRequest, token: str | None):
    """The state-machine actor for a requester: their account, or None (SYSTEM) for the
    holder of the tracking link; PermissionDenied for anyone else."""
    if is_requester(actor, request):
        return actor
    if token and request.token_matches(token):
        return None
    raise PermissionDenied(_("Bạn không phải người gửi yêu cầu này."))


def post_message(
    actor, request: ServiceRequest, body: str, *, token: str | None = None, files=()
) -> Message:
    """A message to the other side. Staff write to the requester (who is e-mailed); the
    requester (signed in or by the link) writes to the center, which takes a request
    waiting for them back into work."""
    body = normalize(body or "").strip()
    if not body:
        raise ValidationError(_("Nội dung trao đổi không được để trống."))
    if not can_write_message(request):
        raise ValidationError(_("Yêu cầu đã kết thúc, không thể gửi thêm trao đổi."))
    staff = is_editor(actor) and not (token and request.token_matches(token))
    machine_actor = actor if staff else _requester_actor(actor, request, token)
    author = actor if actor is not None and actor.is_authenticated else None

    def work(placed):
        message = Message.objects.create(
            request=request, author=author, from_requester=not staff, body=body
        )
        _attach(request, files, AttachmentKind.MESSAGE, placed, actor=author, message=message)
        audit.record(
            author,
            AuditAction.UPDATE,
            request,
            {},
            note=_("Tin nhắn của Trung tâm") if staff else _("Tin nhắn của người yêu cầu"),
        )
        if staff:
            _mail_on_commit(request, "message", _("Trung tâm gửi trao đổi mới"), body=body)
        elif request.status == RequestStatus.WAITING:
            lifecycle.REQUEST.move(
                machine_actor, request, RequestStatus.IN_PROGRESS, note=_("Đã bổ sung thông tin")
            )
        return message

    return _with_files(work)


# ---------------------------------------------------------------------------
# The requester: withdraw, reopen, close, rate
# ---------------------------------------------------------------------------
def requester_move(
    actor,
    request: ServiceRequest,
    target: str,
    *,
    token: str | None = None,
    note: str = "",
    confirmed: bool = True,
) -> ServiceRequest:
    """Withdraw an open request, reopen an answered one (not satisfied) or close it."""
    machine_actor = _requester_actor(actor, request, token)
    if target not in lifecycle.REQUESTER_TARGETS:
        raise ValidationError(_("Bước này không dành cho người yêu cầu."))
    with transaction.atomic():
        moved = lifecycle.REQUEST.move(
            machine_actor, request, target, note=normalize(note), confirmed=confirmed
        )
        if note.strip() and target == RequestStatus.IN_PROGRESS:
            Message.objects.create(
                request=moved,
                author=machine_actor,
                from_requester=True,
                body=normalize(note).strip(),
            )
    return moved


def rate_request(
    actor, request: ServiceRequest, rating, comment: str = "", *, token: str | None = None
) -> ServiceRequest:
    """The requester's satisfaction with the answer (1–5 and a comment), once. Rating an
    answered request also closes it."""
    machine_actor = _requester_actor(actor, request, token)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(_("Mức hài lòng phải từ 1 đến 5."))
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.rating is not None:
            raise ValidationError(_("Yêu cầu này đã được đánh giá."))
        if not can_rate_request(locked):
            raise ValidationError(_("Chỉ đánh giá được sau khi Trung tâm trả lời."))
        before = audit.snapshot(locked)
        locked.rating = rating
        locked.rating_comment = normalize(comment or "").strip()
        locked.rated_at = timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        audit.record_update(machine_actor, locked, before, note=_("Đánh giá mức hài lòng"))
        if locked.status == RequestStatus.ANSWERED:
            locked = lifecycle.REQUEST.move(
                machine_actor, locked, RequestStatus.CLOSED, note=_("Đã đánh giá")
            )
    for name in ("rating", "rating_comment", "rated_at", "status", "closed_at"):
        setattr(request, name, getattr(locked, name))
    return locked
