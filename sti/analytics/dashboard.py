"""The leader dashboard: the period and area a visitor chose, and every indicator computed
over them (a figure for the whole period and one per year for the trend)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.analytics.catalogue import GROUPS, WITHOUT_TREND
from sti.analytics.indicators import (
    SCHEME_2025,
    Figure,
    Indicator,
    Scope,
    all_indicators,
    figures,
    year_scopes,
)
from sti.core import provinces
from sti.core.forms import StyledFormMixin
from sti.core.provinces import SCHEME_CHOICES, area_value

FIRST_YEAR = 1990
LAST_YEAR = 2100
MAX_YEARS = 15  # a trend longer than this is a report, not a dashboard
DEFAULT_YEARS = 5


def area_choices() -> list:
    """The whole region, then the provinces of each scheme, grouped (`provinces.area_choices`)."""
    return [("", _("Toàn địa bàn")), *provinces.area_choices()]


def split_area(data: dict) -> dict:
    """The option chosen ("before:92") back into `scheme` and `admin_unit`."""
    scheme, sep, code = (data.get("admin_unit") or "").partition(":")
    if sep:
        data["scheme"], data["admin_unit"] = scheme, code
    return data


class PeriodForm(StyledFormMixin, forms.Form):
    """The period (a range of years) and area of the dashboard, its downloads and the API:
    `from`, `to` (years), `scheme` ("2025" or "before") and `admin_unit` (a province code)."""

    scheme = forms.ChoiceField(label=_("Địa giới"), choices=SCHEME_CHOICES, required=False)
    admin_unit = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)

    def __init__(self, data=None, *args, **kwargs):
        this_year = timezone.localdate().year
        initial = {"from": this_year - DEFAULT_YEARS + 1, "to": this_year, "scheme": SCHEME_2025}
        given = {k: v for k, v in (data or {}).items() if k in self.base_fields and v != ""}
        bound = {**initial, **given}
        if isinstance(bound.get("admin_unit"), str):
            bound["admin_unit"] = area_value(str(bound.get("scheme") or ""), bound["admin_unit"])
        super().__init__(bound, *args, **kwargs)
        # Both schemes' provinces in one list (no script needed), each option naming its scheme.
        self.fields["admin_unit"].choices = area_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start is not None and end is not None:
            if start > end:
                self.add_error("to", _("Năm kết thúc phải không nhỏ hơn năm bắt đầu."))
            elif end - start + 1 > MAX_YEARS:
                self.add_error("to", _("Tối đa %(n)s năm trong một lần xem.") % {"n": MAX_YEARS})
        data["scheme"] = data.get("scheme") or SCHEME_2025
        return split_area(data)

    @property
    def years(self) -> range:
        return range(self.cleaned_data["from"], self.cleaned_data["to"] + 1)

    @property
    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            date(data["from"], 1, 1),
            date(data["to"], 12, 31),
            admin_unit=data["admin_unit"],
            scheme=data["scheme"],
        )

    def query(self) -> str:
        """The chosen filter as a query string, for the links and downloads."""
        data = self.cleaned_data
        params = {"from": data["from"], "to": data["to"], "scheme": data["scheme"]}
        if data["admin_unit"]:
            params["admin_unit"] = data["admin_unit"]
        return urlencode(params)


# "from" is a Python keyword: the two year fields are named here, first in the form.
PeriodForm.base_fields = {
    "from": forms.IntegerField(label=_("Từ năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR),
    "to": forms.IntegerField(label=_("Đến năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR),
    **PeriodForm.base_fields,
}


@dataclass
class Card:
    indicator: Indicator
    total: Figure
    trend: list[tuple[int, Figure]]

    @property
    def chart(self) -> dict:
        return {
            "labels": [year for year, _f in self.trend],
            "values": [f.value for _y, f in self.trend],
        }


@dataclass
class Section:
    code: str
    label: str
    cards: list[Card]


def build(form: PeriodForm) -> list[Section]:
    """Every indicator over the chosen period, by dashboard section: the total and each
    year of the trend computed together (one grouped query per indicator, not one per
    year)."""
    scope, data = form.scope, form.cleaned_data
    years = list(form.years)
    sections: dict[str, Section] = {}
    for indicator in all_indicators():
        with_trend = len(years) > 1 and indicator.code not in WITHOUT_TREND
        scopes = year_scopes(years, data["admin_unit"], data["scheme"]) if with_trend else []
        total, *each_year = figures(indicator.code, [scope, *scopes])
        card = Card(
            indicator, total, list(zip(years, each_year, strict=True)) if with_trend else []
        )
        section = sections.setdefault(
            indicator.group,
            Section(indicator.group, str(GROUPS.get(indicator.group, indicator.group)), []),
        )
        section.cards.append(card)
    return list(sections.values())
