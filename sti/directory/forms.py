"""Editor forms of the directory. The API and the Excel import validate through the same
forms, so a rule (a birth-year range, a field code that must exist) is written once."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.core.models import FieldOfScience
from sti.core.text import normalize
from sti.directory.choices import OrganizationStatus
from sti.directory.models import Organization, Researcher
from sti.directory.services import ORGANIZATION_FIELDS, RESEARCHER_FIELDS

MIN_BIRTH_YEAR = 1920
MIN_AGE = 16


def max_birth_year() -> int:
    return timezone.localdate().year - MIN_AGE


class KnownChoicesMixin:
    """Validate a choice against objects loaded once, when given (`field.known`): an import
    validates thousands of rows against the same organizations and S&T fields, and one
    query per row and field would dominate its time."""

    known: dict[str, object] | None = None

    def _known(self, value):
        try:
            return self.known[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class KnownModelChoiceField(KnownChoicesMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        return self._known(value)


class FieldsChoiceField(KnownChoicesMixin, forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"

    def _check_values(self, value):
        if self.known is None:
            return super()._check_values(value)
        return [self._known(pk) for pk in dict.fromkeys(value)]


def fields_field(label) -> FieldsChoiceField:
    return FieldsChoiceField(
        label=label,
        queryset=FieldOfScience.objects.current().order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Giữ phím Ctrl (⌘ trên Mac) để chọn nhiều lĩnh vực."),
    )


class NormalizingModelForm(StyledFormMixin, forms.ModelForm):
    """Store NFC text: NFD input (macOS, some Word exports) is normalized on clean."""

    def __init__(self, *args, known: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # `known`: {field name: {str(pk): object}}, built once by the caller.
        for name, objects in (known or {}).items():
            self.fields[name].known = objects

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalize(value)
        return cleaned

    # Fields whose rule the form itself checks (a clean_<name> method, or a choice field that
    # already fetched the object): the model's second check would cost a query per form,
    # which an import of thousands of rows pays thousands of times.
    checked_by_form: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | set(self.checked_by_form)

    def service_data(self) -> dict:
        """The cleaned values a service takes (everything but the many-to-many fields)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "fields"}


class OrganizationForm(NormalizingModelForm):
    checked_by_form = ("identifier", "admin_unit")
    fields = fields_field(_("Lĩnh vực hoạt động"))
    website = forms.URLField(
        label=Organization._meta.get_field("website").verbose_name,
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    class Meta:
        model = Organization
        fields = [*ORGANIZATION_FIELDS, "fields"]
        widgets = {
            "founding_decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.TextInput(),
        }
        field_classes = {"admin_unit": KnownModelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_unit"].queryset = (
            self.fields["admin_unit"]
            .queryset.select_related("version")
            .order_by("-version__is_current", "code")
        )

    def clean_identifier(self):
        identifier = normalize(self.cleaned_data.get("identifier", "")).replace(" ", "")
        if identifier:
            clash = Organization.objects.filter(identifier=identifier)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("Mã định danh %(identifier)s đã được dùng cho tổ chức khác."),
                    params={"identifier": identifier},
                )
        return identifier


class ResearcherForm(NormalizingModelForm):
    checked_by_form = ("birth_year", "organization")
    fields = fields_field(_("Lĩnh vực nghiên cứu"))

    class Meta:
        model = Researcher
        fields = [name for name in RESEARCHER_FIELDS if name != "user"] + ["fields"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            "expertise": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"organization": KnownModelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.only("id", "name").order_by(
            "name"
        )

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not MIN_BIRTH_YEAR <= year <= max_birth_year():
            raise forms.ValidationError(
                _("Năm sinh phải trong khoảng %(low)s–%(high)s."),
                params={"low": MIN_BIRTH_YEAR, "high": max_birth_year()},
            )
        return year

    def clean_orcid(self):
        orcid = normalize(self.cleaned_data.get("orcid", "")).upper()
        if orcid.startswith("HTTPS://ORCID.ORG/"):
            orcid = orcid[len("HTTPS://ORCID.ORG/") :]
        if orcid and not _valid_orcid(orcid):
            raise forms.ValidationError(_("Mã ORCID không hợp lệ (dạng 0000-0002-1825-0097)."))
        return orcid

    def clean_expertise(self):
        # One keyword list format everywhere: "a, b, c" (semicolons and new lines accepted).
        raw = normalize(self.cleaned_data.get("expertise", ""))
        parts = [part.strip() for part in raw.replace(";", ",").replace("\n", ",").split(",")]
        return ", ".join(part for part in parts if part)


def _valid_orcid(orcid: str) -> bool:
    """ORCID iD format and ISO 7064 11,2 check digit."""
    groups = orcid.split("-")
    if len(groups) != 4 or any(len(group) != 4 for group in groups):
        return False
    digits = "".join(groups)
    if not digits[:-1].isdigit() or not (digits[-1].isdigit() or digits[-1] == "X"):
        return False
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


class StatusForm(StyledFormMixin, forms.Form):
    """Dissolve, merge or reactivate an organization."""

    ACTION_CHOICES = [
        ("dissolve", _("Giải thể")),
        ("merge", _("Sáp nhập vào tổ chức khác")),
        ("reactivate", _("Khôi phục trạng thái hoạt động")),
    ]
    action = forms.ChoiceField(label=_("Thao tác"), choices=ACTION_CHOICES)
    into = forms.ModelChoiceField(
        label=_("Sáp nhập vào"), queryset=Organization.objects.none(), required=False
    )
    move_researchers = forms.BooleanField(
        label=_("Chuyển các nhà khoa học sang tổ chức mới"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("Ghi chú (số, ngày quyết định…)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["into"].queryset = (
            Organization.objects.filter(status=OrganizationStatus.ACTIVE)
            .exclude(pk=organization.pk)
            .only("id", "name")
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "merge" and not cleaned.get("into"):
            self.add_error("into", _("Chọn tổ chức tiếp nhận."))
        cleaned["note"] = normalize(cleaned.get("note", ""))
        return cleaned


def data_from_instance(form_class, instance) -> dict:
    """The form data that reproduces `instance` (for partial updates: API PATCH, imports)."""
    from django.forms.models import model_to_dict

    names = [name for name in form_class.base_fields if name != "fields"]
    data = model_to_dict(instance, fields=names)
    for name, value in list(data.items()):
        if value is None:
            data[name] = ""
    data["fields"] = [field.pk for field in instance.fields.all()] if instance.pk else []
    return data
