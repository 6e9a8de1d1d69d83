"""The site's form renderer writes select boxes in Python: the markup must be Django's own,
byte for byte, whatever the widget (choices, groups, several selected, escaping, numbers,
translated labels), and the list-page filters keep their selected values and languages."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sti.core.forms import FastSelectRenderer, render_select


class Sample(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Tất cả"), ("a", "Một <b>&</b>"), ("b", _("Có")), (3, 1234567)],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[
            ("", "—"),
            ('Nhóm "1"', [("x", "Ích"), ("y", "Y")]),
            (_("Không"), [("z", "Z")]),
        ],
        required=False,
    )
    many = forms.MultipleChoiceField(
        choices=[("1", "Một"), ("2", "Hai"), ("3", "Ba")], required=False
    )
    flag = forms.NullBooleanField(required=False)
    styled = forms.ChoiceField(
        choices=[("q", mark_safe("<i>q</i>")), ("r", 'r"&')],
        widget=forms.Select(
            attrs={
                "class": "form-select form-select-sm",
                "disabled": True,
                "data-x": False,
                "title": 'a "b" <c>',
            }
        ),
        required=False,
    )


def render_both(data):
    form = Sample(data)
    form.is_valid()
    fast, slow = FastSelectRenderer(), DjangoTemplates()
    pairs = []
    for name in form.fields:
        bound = form[name]
        widget, value = bound.field.widget, bound.value()
        attrs = bound.build_widget_attrs({"id": bound.auto_id})
        pairs.append(
            (
                widget.render(bound.html_name, value, attrs, renderer=fast),
                widget.render(bound.html_name, value, attrs, renderer=slow),
            )
        )
    return pairs


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a", "grouped": "y", "many": ["1", "3"], "flag": "true", "styled": "r"},
        {"plain": "3", "grouped": "z", "many": ["2"], "flag": "false"},
        {"plain": "<script>", "grouped": "nope"},
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_same_markup_as_django(data, language):
    with translation.override(language):
        for fast, slow in render_both(data):
            assert fast == slow
            assert "<option" in fast


def test_selected_and_escaped():
    with translation.override("vi"):
        pairs = render_both({"plain": "a", "many": ["1", "3"]})
    plain, _grouped, many, *_ = (fast for fast, _slow in pairs)
    assert '<option value="a" selected>Một &lt;b&gt;&amp;&lt;/b&gt;</option>' in plain
    assert '<option value="1" selected>Một</option>' in many
    assert '<option value="2">Hai</option>' in many
    assert '<option value="3" selected>Ba</option>' in many
    assert "multiple" in many


def test_an_option_with_its_own_template_is_left_to_django():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")])
    context = widget.get_context("x", "a", {})
    assert render_select(context["widget"]) is None
    assert widget.render("x", "a", renderer=FastSelectRenderer()) == widget.render(
        "x", "a", renderer=DjangoTemplates()
    )


def test_site_renderer_is_the_fast_one():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastSelectRenderer)


class Inputs(forms.Form):
    text = forms.CharField(required=False, widget=forms.TextInput(attrs={"title": 'a "b" <c>'}))
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 1}))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    search = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"required": True, "readonly": False})
    )
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    mail = forms.EmailField(required=False)
    flag = forms.BooleanField(required=False)
    safe = forms.CharField(required=False, initial=mark_safe("<i>x</i>"))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"text": 'Cần "Thơ" & <b>', "number": "12", "day": "2025-03-04", "flag": "on"},
        {"number": "x", "day": "04/03/2025", "secret": "p<w>", "hidden": "1", "mail": "a@b"},
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_inputs_have_the_same_markup_as_django(data, language):
    form = Inputs(data)
    fast, slow = FastSelectRenderer(), DjangoTemplates()
    with translation.override(language):
        for name in form.fields:
            bound = form[name]
            widget, value = bound.field.widget, bound.value()
            attrs = bound.build_widget_attrs({"id": bound.auto_id})
            mine = widget.render(bound.html_name, value, attrs, renderer=fast)
            assert mine == widget.render(bound.html_name, value, attrs, renderer=slow)
            assert mine.startswith("<input ")
