"""Forms of the training app: the editor's course form with its sessions and trainers, the
registration forms (one click for a signed-in user, the public form) and the cancellations."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin, style_fields
from sti.core.models import FieldOfScience
from sti.core.text import normalize
from sti.directory.choices import OrganizationKind
from sti.directory.models import Organization, Researcher
from sti.training.choices import LearnerGender
from sti.training.models import Course
from sti.training.services import COURSE_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class CourseForm(StyledFormMixin, forms.ModelForm):
    online_url = forms.URLField(
        label=_("Đường dẫn học trực tuyến"), required=False, assume_scheme="https"
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực KH&CN"),
        queryset=FieldOfScience.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (⌘ trên Mac) để chọn nhiều lĩnh vực."),
    )

    class Meta:
        model = Course
        fields = COURSE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "registration_opens": _datetime_widget(),
            "registration_closes": _datetime_widget(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = FieldOfScience.objects.current().order_by("code")
        self.fields["fields"].label_from_instance = lambda f: f"{f.code} {f.name}"
        if self.instance.pk:
            self.initial["fields"] = list(self.instance.fields.values_list("pk", flat=True))
        organizers = Organization.objects.active().order_by("name")
        if user is not None and not user.is_editor:
            organizers = organizers.filter(pk__in=user.reporter_organization_ids())
        self.fields["organizer"].queryset = organizers

    def clean(self):
        cleaned = super().clean()
        for name in ("title", "description", "audience", "place"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalize(cleaned[name]).strip()
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes and closes < opens:
            self.add_error("registration_closes", _("Hạn đăng ký phải sau ngày mở đăng ký."))
        delivery = cleaned.get("delivery")
        if delivery in ("online", "blended") and not cleaned.get("online_url"):
            self.add_error("online_url", _("Khóa học trực tuyến cần đường dẫn học."))
        if delivery in ("onsite", "blended") and not cleaned.get("place"):
            self.add_error("place", _("Khóa học trực tiếp cần địa điểm."))
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in COURSE_FIELDS}


class SessionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label=_("Bắt đầu"), widget=_datetime_widget())
    ends_at = forms.DateTimeField(label=_("Kết thúc"), widget=_datetime_widget())
    topic = forms.CharField(label=_("Nội dung"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields, size="sm")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Giờ kết thúc phải sau giờ bắt đầu."))
        cleaned["topic"] = normalize(cleaned.get("topic", "")).strip()
        return cleaned


class BaseSessionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not kept:
            raise ValidationError(_("Khóa học cần ít nhất một buổi học."))

    def sessions(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not self._should_delete_form(f)
        ]


SessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=2, can_delete=True, max_num=60
)


class TrainerForm(forms.Form):
    researcher = forms.ModelChoiceField(
        label=_("Chuyên gia trong danh bạ"),
        queryset=Researcher.objects.none(),
        required=False,
    )
    name = forms.CharField(label=_("hoặc họ tên"), max_length=150, required=False)
    affiliation = forms.CharField(label=_("Đơn vị công tác"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = Researcher.objects.filter(
            is_public=True, is_expert=True
        ).select_related("organization")
        style_fields(self.fields, size="sm")

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("researcher") and not cleaned.get("name"):
            raise ValidationError(_("Hãy chọn một chuyên gia hoặc nhập họ tên giảng viên."))
        return cleaned


class BaseTrainerFormSet(forms.BaseFormSet):
    def trainers(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not self._should_delete_form(f)
        ]


TrainerFormSet = forms.formset_factory(
    TrainerForm, formset=BaseTrainerFormSet, extra=1, can_delete=True, max_num=20
)


class OneClickRegistrationForm(StyledFormMixin, forms.Form):
    """A signed-in user registers with their profile; gender is optional."""

    gender = forms.ChoiceField(
        label=_("Giới tính (không bắt buộc, dùng cho thống kê)"),
        choices=[("", "—")] + LearnerGender.choices,
        required=False,
    )


class PublicRegistrationForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"), help_text=_("Thư xác nhận và nhắc lịch được gửi tới địa chỉ này.")
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=30)
    organization_name = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=300, required=False)
    organization_kind = forms.ChoiceField(
        label=_("Loại hình cơ quan"),
        choices=[("", "—")] + OrganizationKind.choices,
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Giới tính"),
        choices=[("", "—")] + LearnerGender.choices,
        required=False,
        help_text=_("Không bắt buộc; chỉ dùng cho thống kê."),
    )
    # A field people never see: robots that fill every input reveal themselves.
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_full_name(self):
        name = normalize(self.cleaned_data["full_name"]).strip()
        if len(name) < 2:
            raise ValidationError(_("Hãy nhập họ và tên."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if len(digits) < 8 or any(c not in "0123456789 +.-()" for c in phone):
            raise ValidationError(_("Số điện thoại không hợp lệ."))
        return phone

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class CancelRegistrationForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Lý do (không bắt buộc)"), max_length=300, required=False)


class CourseMoveForm(StyledFormMixin, forms.Form):
    target = forms.ChoiceField(label=_("Bước"), choices=())
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    confirmed = forms.BooleanField(
        label=_("Tôi xác nhận hủy khóa học và báo cho người đã đăng ký"), required=False
    )

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(m.target, m.label) for m in moves]
