"""Forms of the service desk: the public intake form, and the staff's and the requester's
forms on a request page. All on the shared `StyledFormMixin`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.core.uploads import DOCUMENTS, CheckedFilesField
from sti.directory.models import Organization
from sti.servicedesk import links, services
from sti.servicedesk.choices import ServiceKind
from sti.servicedesk.spam import HONEYPOT_FIELD


def attachments_field(label) -> CheckedFilesField:
    """The shared multi-file control (`sti.core.uploads`): each file checked by content and
    size in the form; the service checks them again before it writes them."""
    return CheckedFilesField(
        label=label,
        accept=DOCUMENTS,
        max_files=services.MAX_ATTACHMENTS,
        max_mb=settings.STI_MAX_UPLOAD_MB,
    )


class IntakeForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Dịch vụ cần hỗ trợ"), choices=ServiceKind.choices)
    subject = forms.CharField(label=_("Tiêu đề"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung yêu cầu"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Mô tả vấn đề, sản phẩm, thông tin cần tìm và mục đích sử dụng."),
    )
    requester_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    requester_organization = forms.CharField(
        label=_("Cơ quan, doanh nghiệp, hợp tác xã"), max_length=300, required=False
    )
    requester_phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    requester_email = forms.EmailField(
        label=_("Thư điện tử"),
        help_text=_("Trung tâm gửi liên kết theo dõi yêu cầu đến địa chỉ này."),
    )
    desired_deadline = forms.DateField(
        label=_("Thời hạn mong muốn"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attachments = attachments_field(_("Tệp đính kèm"))
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để Trung tâm lưu trữ thông tin trên nhằm xử lý yêu cầu và liên hệ với tôi."
        ),
        error_messages={"required": _("Cần đồng ý lưu trữ thông tin để gửi yêu cầu.")},
    )
    # The honeypot: hidden from people by CSS and aria-hidden; robots fill it.
    website = forms.CharField(required=False, label=_("Trang web"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if user is not None and user.is_authenticated:
            initial = {
                "requester_name": str(user),
                "requester_email": user.email,
                "requester_phone": user.phone,
            }
            organization = (
                Organization.objects.filter(pk__in=user.organization_ids()).order_by("pk").first()
            )
            if organization is not None:
                initial["requester_organization"] = organization.name
            for name, value in initial.items():
                self.fields[name].initial = self.initial.get(name, value)

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean_requester_phone(self):
        phone = self.cleaned_data["requester_phone"].strip()
        if phone and not all(ch.isdigit() or ch in " +.-()" for ch in phone):
            raise ValidationError(_("Số điện thoại chỉ gồm chữ số và các dấu + . - ( )."))
        return phone

    def clean_desired_deadline(self):
        value = self.cleaned_data["desired_deadline"]
        today = timezone.localdate()
        if value is not None and value < today:
            raise ValidationError(_("Thời hạn mong muốn không được ở quá khứ."))
        if value is not None and value.year > today.year + 5:
            raise ValidationError(_("Thời hạn mong muốn quá xa."))
        return value


def _editors():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role__in=["editor", "admin"]) | Q(is_superuser=True))
        .order_by("full_name", "username")
    )


class AssignForm(StyledFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=None)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _editors()


class MoveForm(StyledFormMixin, forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Ghi chú / lý do"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Ghi chú nội bộ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Nội dung"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = attachments_field(_("Tệp đính kèm"))


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), max_length=50000, widget=forms.Textarea(attrs={"rows": 10})
    )
    attachments = attachments_field(_("Tệp kèm trả lời"))


class LinkForm(StyledFormMixin, forms.Form):
    model = forms.ChoiceField(
        label=_("Loại bản ghi"), choices=[(k, v) for k, v in links.LINKABLE.items()]
    )
    object_id = forms.IntegerField(label=_("Mã số bản ghi"), min_value=1, max_value=2**62)


class RatingForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Mức hài lòng"),
        coerce=int,
        choices=[
            (5, _("5 – Rất hài lòng")),
            (4, _("4 – Hài lòng")),
            (3, _("3 – Bình thường")),
            (2, _("2 – Chưa hài lòng")),
            (1, _("1 – Không hài lòng")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequesterMoveForm(StyledFormMixin, forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Lý do"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
