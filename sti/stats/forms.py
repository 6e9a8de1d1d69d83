"""Forms of the statistics pages (the grid itself is built from the form definition)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.directory.choices import OrganizationKind
from sti.stats.models import Regime, ReportForm

CELL_PREFIX = "c:"


def grid_values(data) -> dict[str, str]:
    """The cell values a grid page posted (inputs named "c:<cell key>")."""
    return {
        name[len(CELL_PREFIX) :]: value
        for name, value in data.items()
        if name.startswith(CELL_PREFIX)
    }


class UploadForm(StyledFormMixin, forms.Form):
    workbook = forms.FileField(label=_("Tệp Excel đã điền (.xlsx)"))


class ReviewForm(StyledFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Chấp nhận")), ("0", _("Trả lại để sửa"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PeriodForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=2000, max_value=2100)
    regime = forms.ModelChoiceField(label=_("Chế độ báo cáo"), queryset=Regime.objects.all())
    deadline = forms.DateField(
        label=_("Hạn nộp"),
        required=False,
        help_text=_("Để trống: theo chế độ (mặc định 1/2 năm sau)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AssignForm(StyledFormMixin, forms.Form):
    forms_to_file = forms.ModelMultipleChoiceField(
        label=_("Biểu phải nộp"),
        queryset=ReportForm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Loại hình tổ chức"),
        choices=OrganizationKind.choices,
        required=False,
        help_text=_("Để trống: mọi tổ chức đang hoạt động."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forms_to_file"].queryset = ReportForm.objects.filter(regime=period.regime)


class RegimeTextForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Định nghĩa chế độ báo cáo (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
    )
