"""S&T service requests: what a citizen, firm or school asks the center, and how it is answered.

A request carries a yearly reference number (YC-2026-0042, from `ReferenceCounter`), the
requester's contact details (linked to their account when signed in), the staff member it is
assigned to, the exchange of messages with the requester, internal notes (staff only, a
separate table so that no requester-facing query can reach them), the answer with its files
and linked records, and the requester's rating of the answer.

Who sees a request (`ServiceRequestQuerySet.access_rule`): editors, and the signed-in user who
made it. An anonymous requester follows it through the private tracking link (`tracking_token`: the
id and an HMAC of the id and a random per-request nonce under the site's secret key).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from sti.core.access import USER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.reports import per_period, within
from sti.servicedesk.choices import OPEN_STATES, AttachmentKind, RequestStatus, ServiceKind

# Calendar days the center commits to for each service when the requester names no deadline
# (overridable with the STI_SERVICEDESK_STANDARD_DAYS setting).
STANDARD_DAYS = {
    ServiceKind.INFORMATION: 7,
    ServiceKind.TECHNOLOGY: 15,
    ServiceKind.INTELLECTUAL_PROPERTY: 10,
    ServiceKind.STANDARDS: 10,
    ServiceKind.CONSULTING: 15,
}


def standard_days(kind: str) -> int:
    days = {**STANDARD_DAYS, **getattr(settings, "STI_SERVICEDESK_STANDARD_DAYS", {})}
    return int(days.get(kind, 10))


TRACKING_SALT = "sti.servicedesk.tracking"


def new_tracking_nonce() -> str:
    return secrets.token_hex(16)


class ReferenceCounter(models.Model):
    """The last reference number given in a year (one row per year, locked while counting)."""

    year = models.PositiveIntegerField(_("năm"), primary_key=True)
    last = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("bộ đếm số yêu cầu")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ServiceRequestQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(USER, field="requester_id")])

    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def report_by_kind(self, periods) -> list[dict[str, int]]:
        """{kind: number} of the requests received in each period (named report method read
        by sti.analytics, one query; requests name no organization of the directory, so no
        area)."""
        return per_period(self, periods, within("received_at__date"), "kind")

    def overdue(self, today=None):
        """Open requests past their due date."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ServiceRequest(models.Model):
    """One request for an S&T service, from intake to the requester's rating."""

    reference = models.CharField(_("số yêu cầu"), max_length=20, unique=True, editable=False)
    year = models.PositiveIntegerField(_("năm"), editable=False)
    number = models.PositiveIntegerField(_("số thứ tự trong năm"), editable=False)
    kind = models.CharField(_("loại dịch vụ"), max_length=20, choices=ServiceKind.choices)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    description = models.TextField(_("nội dung yêu cầu"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("tài khoản người yêu cầu"),
    )
    requester_name = models.CharField(_("họ và tên"), max_length=150)
    requester_organization = models.CharField(
        _("cơ quan, doanh nghiệp, HTX"), max_length=300, blank=True
    )
    requester_phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    requester_email = models.EmailField(_("thư điện tử"))
    desired_deadline = models.DateField(_("thời hạn mong muốn"), null=True, blank=True)
    due_on = models.DateField(_("hạn trả lời"))
    consent = models.BooleanField(_("đồng ý lưu trữ thông tin"), default=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
        verbose_name=_("cán bộ xử lý"),
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    rejection_reason = models.TextField(_("lý do từ chối"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("mức hài lòng"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("nhận xét"), blank=True)
    tracking_nonce = models.CharField(
        _("khóa liên kết theo dõi"), max_length=32, default=new_tracking_nonce, editable=False
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    assigned_at = models.DateTimeField(_("thời điểm phân công"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("trả lời lần đầu"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời gần nhất"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("yêu cầu dịch vụ KH&CN")
        verbose_name_plural = _("yêu cầu dịch vụ KH&CN")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="servicedesk_year_number"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="servicedesk_rating_1_5",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="servicedesk_status_due")]

    def __str__(self) -> str:
        return f"{self.reference} – {self.subject}"

    def get_absolute_url(self) -> str:
        return record_url("servicedesk:request_detail", self.pk)

    @property
    def tracking_token(self) -> str:
        """The secret part of the private tracking link: the id and an HMAC (with the site's
        secret key) of the id and this request's nonce. Changing the nonce revokes it."""
        mac = salted_hmac(TRACKING_SALT, f"{self.pk}:{self.tracking_nonce}", algorithm="sha256")
        return f"{self.pk}-{mac.hexdigest()[:40]}"

    def token_matches(self, token: str) -> bool:
        return constant_time_compare(self.tracking_token, str(token or ""))

    def get_tracking_url(self) -> str:
        return reverse("servicedesk:tracking", args=[self.tracking_token])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def response_days(self) -> float | None:
        """Days from intake to the first answer."""
        if self.first_answered_at is None:
            return None
        return (self.first_answered_at - self.received_at).total_seconds() / 86400


class Message(models.Model):
    """A message between the center and the requester (both sides read it)."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("yêu cầu")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người viết"),
    )
    from_requester = models.BooleanField(_("của người yêu cầu"), default=False)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = _("trao đổi")

    def __str__(self) -> str:
        return self.body[:60]


class InternalNote(models.Model):
    """A note of the center's staff on a request: never shown to the requester."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="internal_notes",
        verbose_name=_("yêu cầu"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người viết"),
    )
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = _("ghi chú nội bộ")

    def __str__(self) -> str:
        return self.body[:60]


def _attachment_path(instance, filename: str) -> str:
    return f"servicedesk/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file sent with the request, a message or the answer; checked by its content and
    served only through the request's access checks (its stored name is random)."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("yêu cầu"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=AttachmentKind.choices)
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("trao đổi"),
    )
    file = models.FileField(_("tệp"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    mime_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class LinkedRecord(models.Model):
    """A platform record the answer points to (a library document, a task, an expert, an
    organization); only models of `sti.servicedesk.links.LINKABLE` are accepted, and each
    viewer sees only the linked records their own access allows."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="linked_records",
        verbose_name=_("yêu cầu"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("loại bản ghi")
    )
    object_id = models.PositiveBigIntegerField(_("mã bản ghi"))
    target = GenericForeignKey("content_type", "object_id")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người thêm"),
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = _("bản ghi liên kết")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "content_type", "object_id"], name="servicedesk_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
