from django import forms
from django.utils.translation import gettext_lazy as _

from sti.alerts.choices import AlertKind, DigestFrequency
from sti.alerts.models import SavedSearch
from sti.core.forms import StyledFormMixin


class SaveSearchForm(StyledFormMixin, forms.Form):
    """Name and frequency of a search saved from the search page (its parameters travel as
    hidden fields and are read by `sti.search.params.query_from_params`)."""

    name = forms.CharField(label=_("Tên tìm kiếm"), max_length=200)
    frequency = forms.ChoiceField(
        label=_("Gửi thư thông báo"),
        choices=DigestFrequency.choices,
        initial=DigestFrequency.WEEKLY,
    )


class SavedSearchForm(StyledFormMixin, forms.Form):
    """Editing a saved search (a plain form: the service changes the record and audits it)."""

    name = forms.CharField(label=_("Tên"), max_length=200)
    query = forms.CharField(label=_("Từ khóa"), max_length=500, required=False)
    year_from = forms.IntegerField(label=_("Từ năm"), required=False, min_value=1, max_value=9999)
    year_to = forms.IntegerField(label=_("Đến năm"), required=False, min_value=1, max_value=9999)
    frequency = forms.ChoiceField(label=_("Gửi thư thông báo"), choices=DigestFrequency.choices)

    def __init__(self, *args, saved: SavedSearch, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": saved.name,
                "query": saved.query,
                "year_from": saved.year_from,
                "year_to": saved.year_to,
                "frequency": saved.frequency,
            },
        )
        super().__init__(*args, **kwargs)
        if saved.kind == AlertKind.FOLLOW:  # a follow is one facet value, nothing else
            for name in ("query", "year_from", "year_to"):
                del self.fields[name]
