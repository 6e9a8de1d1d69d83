"""The form of a new report draft: template, whole years, area."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.analytics.dashboard import SCHEME_CHOICES, area_choices, area_value, split_area
from sti.analytics.indicators import SCHEME_2025
from sti.analytics.reports import definitions
from sti.core.forms import StyledFormMixin


class DraftForm(StyledFormMixin, forms.Form):
    template_key = forms.ChoiceField(label=_("Mẫu báo cáo"))
    start_year = forms.IntegerField(label=_("Từ năm"), min_value=1975, max_value=2100)
    end_year = forms.IntegerField(label=_("Đến năm"), min_value=1975, max_value=2100)
    admin_unit = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    scheme = forms.ChoiceField(label=_("Địa giới"), choices=SCHEME_CHOICES, initial=SCHEME_2025)
    title = forms.CharField(label=_("Tiêu đề (để trống: theo mẫu)"), max_length=300, required=False)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("admin_unit"):
            data = data.copy()
            data["admin_unit"] = area_value(data.get("scheme", ""), data["admin_unit"])
        super().__init__(data, *args, **kwargs)
        self.fields["template_key"].choices = [
            (t.key, t.title) for t in definitions.templates().values()
        ]
        self.fields["admin_unit"].choices = area_choices()
        year = timezone.localdate().year - 1
        self.fields["end_year"].initial = year
        self.fields["start_year"].initial = year - 2

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and start > end:
            self.add_error("end_year", _("Đến năm phải từ năm bắt đầu trở về sau."))
        if start and end and end - start >= 20:
            self.add_error("end_year", _("Kỳ báo cáo dài nhất 20 năm."))
        return split_area(data)


class SectionForm(forms.Form):
    text = forms.CharField(required=False, max_length=50_000, widget=forms.Textarea)


class ExplanationForm(forms.Form):
    explanation = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
