"""Forms of the technology exchange, on the shared styling mixin."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin, style_fields
from sti.core.models import FieldOfScience
from sti.core.uploads import CheckedFilesField
from sti.directory.models import Organization
from sti.market.access import can_change_poster, can_post_for
from sti.market.choices import (
    ActivityKind,
    TransferKind,
    TransferMethod,
)
from sti.market.models import Demand, MarketEvent, Offer, TransferContract
from sti.market.services import (
    DEMAND_FILE_TYPES,
    MAX_ATTACHMENT_MB,
    MAX_DEMAND_FILES,
    MAX_OFFER_IMAGES,
    OFFER_IMAGE_TYPES,
    exhibitable_offers,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_VND = 10**15  # a million billion đồng: past any real deal, inside a BigIntegerField
MAX_OWNERS = 5


def _organizations_for(field, user) -> None:
    """The organizations `user` may post for (every one for an editor); empty = as a person."""
    organizations = Organization.objects.order_by("name")
    if not user.is_editor:
        organizations = organizations.filter(pk__in=user.reporter_organization_ids())
    field.queryset = organizations
    field.required = False
    field.empty_label = _("Đăng với tư cách cá nhân")


def _current_fields(field) -> None:
    field.queryset = FieldOfScience.objects.current().filter(level__lte=3).order_by("code")
    field.label_from_instance = lambda f: "\u2003" * (f.level - 1) + f.display


def _check_poster(form, name: str) -> None:
    """The poster of an existing posting stays an organization or a person (editors aside);
    `instance` still holds the saved value here (the form writes it after `clean`)."""
    chosen = form.cleaned_data.get(name)
    saved = getattr(form.instance, f"{name}_id")
    if not can_post_for(form.user, chosen.pk if chosen else None):
        form.add_error(name, _("Bạn không thể đăng cho tổ chức này."))
    elif form.instance.pk and not can_change_poster(
        form.user, saved, chosen.pk if chosen else None
    ):
        form.add_error(name, _("Chỉ cán bộ Trung tâm được đổi người đăng giữa tổ chức và cá nhân."))


def _attachment_fields(form, related: str, *, new: str, remove: str, label, accept, limit):
    """A multiple-file control for new files and, on an existing posting, boxes to remove
    the ones it has (checked by content and size in the form, and again by the service)."""
    form.fields[new] = CheckedFilesField(
        label=label, accept=accept, max_files=limit, max_mb=MAX_ATTACHMENT_MB
    )
    if form.instance.pk:
        rows = getattr(form.instance, related).all()
        form.fields[remove] = forms.ModelMultipleChoiceField(
            label=_("Bỏ tệp đã có"),
            queryset=rows,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        form.fields[remove].label_from_instance = lambda row: str(row.caption or row.pk)


def _vnd(name):
    return forms.IntegerField(label=name, required=False, min_value=0, max_value=MAX_VND)


class OfferForm(StyledFormMixin, forms.ModelForm):
    """Post or edit an offer: the public part, the confidential part and up to five owners."""

    transfer_methods = forms.MultipleChoiceField(
        label=_("Phương thức chuyển giao"),
        choices=TransferMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Theo Điều 6 Luật Chuyển giao công nghệ 07/2017/QH14."),
    )
    price_vnd = _vnd(_("Giá (đồng)"))

    class Meta:
        model = Offer
        fields = [
            "title",
            "summary",
            "field",
            "trl",
            "development_level",
            "price_type",
            "price_vnd",
            "transfer_methods",
            "province",
            "territory",
            "test_results",
            "expires_on",
            "owner_organization",
            "detail",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {"expires_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        _organizations_for(self.fields["owner_organization"], user)
        _current_fields(self.fields["field"])
        for index in range(MAX_OWNERS):
            self.fields[f"owner_{index}_name"] = forms.CharField(
                label=_("Chủ sở hữu %(n)s") % {"n": index + 1}, required=False, max_length=200
            )
            self.fields[f"owner_{index}_share"] = forms.DecimalField(
                label=_("Tỷ lệ (%%) của chủ sở hữu %(n)s") % {"n": index + 1},
                required=False,
                min_value=Decimal("0.01"),
                max_value=Decimal("100"),
                decimal_places=2,
            )
        if self.instance.pk:
            for index, owner in enumerate(self.instance.owners.all()[:MAX_OWNERS]):
                self.initial[f"owner_{index}_name"] = str(owner).rsplit(" (", 1)[0]
                self.initial[f"owner_{index}_share"] = owner.share
        _attachment_fields(
            self,
            "images",
            new="new_images",
            remove="remove_images",
            label=_("Hình ảnh công nghệ (công khai khi được công bố)"),
            accept=OFFER_IMAGE_TYPES,
            limit=MAX_OFFER_IMAGES,
        )
        style_fields(self.fields)

    def clean(self):
        data = super().clean()
        _check_poster(self, "owner_organization")
        total = Decimal(0)
        for index in range(MAX_OWNERS):
            name, share = data.get(f"owner_{index}_name"), data.get(f"owner_{index}_share")
            if name and not share:
                self.add_error(f"owner_{index}_share", _("Cần ghi tỷ lệ sở hữu."))
            total += share or 0
        if total > 100:
            raise forms.ValidationError(_("Tổng tỷ lệ sở hữu vượt quá 100%."))
        return data

    def owners(self) -> list[dict]:
        """Owners as typed: a name matching a directory organization links to it."""
        out = []
        for index in range(MAX_OWNERS):
            name = (self.cleaned_data.get(f"owner_{index}_name") or "").strip()
            share = self.cleaned_data.get(f"owner_{index}_share")
            if name and share:
                organization = Organization.objects.filter(name=name).first()
                out.append(
                    {
                        "organization": organization,
                        "person_name": "" if organization else name,
                        "share": share,
                    }
                )
        return out

    def service_data(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key in self.Meta.fields}


class DemandForm(StyledFormMixin, forms.ModelForm):
    """The plain-language demand form: three questions first, the rest optional (works on
    a phone: one column, large controls, nothing technical required)."""

    budget_min_vnd = _vnd(_("Kinh phí từ (đồng)"))
    budget_max_vnd = _vnd(_("Kinh phí đến (đồng)"))

    class Meta:
        model = Demand
        fields = [
            "title",
            "description",
            "province",
            "contact_phone",
            "requirements",
            "field",
            "trl_wanted",
            "budget_min_vnd",
            "budget_max_vnd",
            "cooperation_form",
            "organization",
            "requester_name",
            "contact_email",
        ]
        labels = {"title": _("Bạn cần công nghệ gì?")}
        widgets = {
            "title": forms.TextInput(
                attrs={"placeholder": _("Ví dụ: cách giữ xoài tươi lâu để bán xa")}
            ),
            "description": forms.Textarea(
                attrs={
                    "rows": 5,
                    "placeholder": _(
                        "Kể như nói chuyện: đang trồng/nuôi/làm gì, gặp chuyện gì, thấy gì, "
                        "muốn được như thế nào."
                    ),
                }
            ),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        _organizations_for(self.fields["organization"], user)
        _current_fields(self.fields["field"])
        self.fields["field"].help_text = _("Không biết thì để trống: cán bộ sẽ chọn giúp.")
        self.fields["trl_wanted"].help_text = _("Không biết thì để trống.")
        _attachment_fields(
            self,
            "files",
            new="new_files",
            remove="remove_files",
            label=_("Ảnh chụp, bản vẽ, tài liệu (chỉ cán bộ Trung tâm và bên bạn xem được)"),
            accept=DEMAND_FILE_TYPES,
            limit=MAX_DEMAND_FILES,
        )
        style_fields(self.fields)

    def clean(self):
        data = super().clean()
        _check_poster(self, "organization")
        low, high = data.get("budget_min_vnd"), data.get("budget_max_vnd")
        if low is not None and high is not None and high < low:
            self.add_error(
                "budget_max_vnd", _("Kinh phí tối đa không thể nhỏ hơn kinh phí tối thiểu.")
            )
        return data

    def service_data(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key in self.Meta.fields}


class MoveForm(StyledFormMixin, forms.Form):
    target = forms.CharField(max_length=30)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
    expires_on = forms.DateField(label=_("Hết hạn chào bán"), required=False, widget=DATE)


class InterestForm(StyledFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Lời nhắn cho chủ công nghệ"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bạn là ai, muốn dùng công nghệ vào việc gì. Chủ công nghệ chấp nhận thì bạn "
            "xem được thông tin chi tiết và liên hệ."
        ),
    )


class ProposalForm(StyledFormMixin, forms.Form):
    offer = forms.IntegerField(label=_("Mã công nghệ chào bán"), min_value=1, max_value=2**31)
    note = forms.CharField(label=_("Lý do đề xuất"), required=False, max_length=2000)


class ActivityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=ActivityKind.choices)
    happened_on = forms.DateField(label=_("Ngày"), widget=DATE)
    summary = forms.CharField(
        label=_("Nội dung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContractForm(StyledFormMixin, forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("Phương thức chuyển giao"),
        choices=TransferMethod.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Hình thức chuyển giao"), choices=TransferKind.choices)
    value_vnd = forms.IntegerField(
        label=_("Giá trị hợp đồng (đồng)"), min_value=0, max_value=MAX_VND
    )

    class Meta:
        model = TransferContract
        fields = [
            "title",
            "transferor_organization",
            "transferor_name",
            "transferee_organization",
            "transferee_name",
            "kind",
            "methods",
            "value_vnd",
            "signed_on",
            "note",
        ]
        widgets = {"signed_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("transferor_organization", "transferee_organization"):
            self.fields[name].queryset = Organization.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("transferor_organization") and not data.get("transferor_name"):
            self.add_error("transferor_name", _("Cần chọn hoặc ghi tên bên giao."))
        if not data.get("transferee_organization") and not data.get("transferee_name"):
            self.add_error("transferee_name", _("Cần chọn hoặc ghi tên bên nhận."))
        return data


class RegistrationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=200)
    organization_name = forms.CharField(label=_("Đơn vị"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class EventForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MarketEvent
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "venue",
            "description",
            "capacity",
            "is_published",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc không thể trước ngày bắt đầu."))
        return data


class ExhibitForm(StyledFormMixin, forms.Form):
    """Apply to show one's published offers at a fair (an editor: add them, with a booth)."""

    offers = forms.ModelMultipleChoiceField(
        label=_("Công nghệ trưng bày"),
        queryset=Offer.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Chỉ công nghệ đang chào bán; các công nghệ phải cùng một chủ sở hữu."),
    )
    booth = forms.CharField(label=_("Gian hàng"), max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].queryset = exhibitable_offers(user).order_by("title")
        if not user.is_editor:
            del self.fields["booth"]
        style_fields(self.fields)
