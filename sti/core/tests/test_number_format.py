"""Amounts are grouped by thousands in Vietnamese pages (1.550.000.000 đ), as in English."""

from django.template import Context, Template
from django.utils import translation


def _render(value) -> str:
    return Template("{% load humanize %}{{ value|intcomma }}").render(Context({"value": value}))


def test_intcomma_groups_thousands_in_vietnamese():
    with translation.override("vi"):
        assert _render(1550000000) == "1.550.000.000"
    with translation.override("en"):
        assert _render(1550000000) == "1,550,000,000"
