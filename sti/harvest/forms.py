"""Forms of the regional network: finding a partner's repository, then choosing what to
harvest from what it offers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.harvest.client import harvestable_formats


class DiscoverForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên nguồn"), max_length=200)
    base_url = forms.URLField(
        label=_("Địa chỉ OAI-PMH (base URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Ví dụ: https://thuvien.angiang.gov.vn/oai"),
    )


class SourceSettingsForm(StyledFormMixin, forms.Form):
    """Format, sets, schedule and politeness, from the formats and sets the partner offers."""

    name = forms.CharField(label=_("Tên nguồn"), max_length=200)
    metadata_prefix = forms.ChoiceField(label=_("Định dạng thu thập"))
    sets = forms.MultipleChoiceField(
        label=_("Tập thu thập"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn tập nào: thu thập cả kho."),
    )
    schedule_hours = forms.IntegerField(
        label=_("Chu kỳ thu thập (giờ)"),
        min_value=0,
        max_value=24 * 90,
        initial=24,
        help_text=_("0: chỉ thu thập khi yêu cầu."),
    )
    delay_seconds = forms.FloatField(
        label=_("Nghỉ giữa hai yêu cầu (giây)"), min_value=0, max_value=60, initial=1.0
    )
    active = forms.BooleanField(label=_("Đang thu thập"), required=False, initial=True)

    def __init__(self, *args, formats=(), sets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metadata_prefix"].choices = [(p, p) for p in harvestable_formats(formats)]
        self.fields["sets"].choices = [(s["spec"], f"{s['name']} ({s['spec']})") for s in sets]
