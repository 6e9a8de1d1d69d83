"""The one form-styling mixin: Bootstrap 5 classes on widgets, error and required marks.

Every form of every app inherits `StyledFormMixin`; FilterSets use `StyledFilterSetMixin`
(small controls for the sidebar). The field markup itself is `core/form_fields.html`.
"""

from __future__ import annotations

from html import escape as html_escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sti.core.codelists import CODELIST_MODELS, remembered

ERROR_CLASS = "is-invalid"


def widget_class(widget: forms.Widget, size: str = "") -> str:
    """The Bootstrap class a widget takes ("form-select-sm" and the like with a size)."""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
        return "form-check-input"
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return f"{css} {css}-{size}" if size else css


def add_class(widget: forms.Widget, css: str) -> None:
    classes = widget.attrs.get("class", "").split()
    widget.attrs["class"] = " ".join(classes + [c for c in css.split() if c not in classes])


def style_fields(fields, *, size: str = "") -> None:
    """Give every visible widget of `fields` (a form's `fields` dict) its Bootstrap class,
    kept alongside any class the form declared itself."""
    for field in fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if not any(
            c.startswith(("form-control", "form-select", "form-check"))
            for c in widget.attrs.get("class", "").split()
        ):
            add_class(widget, widget_class(widget, size))
        if field.required and not isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("aria-required", "true")


class StyledFormMixin:
    """Bootstrap classes on every widget; after validation, "is-invalid" on the widgets of
    fields with errors. Fields added after `__init__` are styled with `style_fields`."""

    required_css_class = "required"
    error_css_class = "has-error"
    control_size = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields, size=self.control_size)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                add_class(self.fields[name].widget, ERROR_CLASS)
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (the rest, and a plain
    message, on the form itself): a page shows what the service refused where it belongs."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SpreadsheetUploadForm(StyledFormMixin, forms.Form):
    """The upload form of every spreadsheet import (`sti.core.import_views`)."""

    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class StyledFilterSetMixin:
    """A FilterSet whose form carries small Bootstrap controls (the page sidebar renders it).

    Its choices are read once per request: database-backed choices are listed once for
    validation and rendering, and those over a code list (S&T fields, administrative units,
    task levels) come from `sti.core.codelists.remembered` without a query."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_fields(form.fields, size="sm")
            for name, field in form.fields.items():
                if isinstance(field, forms.ModelChoiceField):
                    declared = getattr(self, "filters", {}).get(name)
                    if declared is not None and not callable(declared.extra.get("queryset")):
                        remember_codelist_choices(field, (type(self).__qualname__, name))
                elif isinstance(field, forms.ChoiceField):
                    set_choices(field, list(field.choices))
            form._styled = True
        return form

    @property
    def active_count(self) -> int:
        """How many filters are set (shown on the folded filter button on phones)."""
        return sum(1 for name in self.filters if self.data.get(name) not in (None, ""))


def province_filter(unit_path: str):
    """The "Tỉnh, thành phố" filter of a list whose rows belong to an administrative unit
    through `unit_path` (e.g. "host__admin_unit_id": the task's host organization): the
    rows of that province before or after the 2025 merger, as the analytics figures count
    them (their links carry `province=2025:92`)."""
    import django_filters

    from sti.core.provinces import area_choices, split_area_value, units_in_province

    def in_province(queryset, name, value):
        scheme, code = split_area_value(value)
        rows = queryset.model._base_manager.filter(
            **{f"{unit_path}__in": units_in_province(code, scheme)}
        )
        return queryset.filter(pk__in=rows.values("pk"))  # a many-to-many path: no duplicates

    return django_filters.ChoiceFilter(
        label=_("Tỉnh, thành phố"),
        choices=area_choices,
        method=in_province,
        empty_label=_("Tất cả"),
    )


def confirmation_field(machine, source: str, targets) -> forms.BooleanField | None:
    """The `confirmed` checkbox of a form that offers a choice of target states, listing the
    warnings of the irreversible moves among them (None when there is none). The state
    machine refuses such a move without it (sti.core.statemachine.ConfirmationRequired)."""
    from django.utils.translation import gettext_lazy as _

    warnings = []
    for target in targets:
        move = machine.transitions.get((source, target))
        if move is not None and move.confirm:
            warnings.append(f"{move.label}: {move.confirm}")
    if not warnings:
        return None
    return forms.BooleanField(
        label=_("Tôi xác nhận bước không thể hoàn tác (nếu chọn)"),
        help_text=" ".join(warnings),
        required=False,
    )


def remember_codelist_choices(field: forms.ModelChoiceField, key: tuple) -> None:
    """Give a choice field over a code-list model its options remembered under `key` (the
    filter declaring its fixed queryset); validation still reads the chosen row."""
    queryset = field.queryset
    meta = queryset.model._meta
    if (
        meta.app_label != "core"
        or meta.model_name not in CODELIST_MODELS
        or getattr(field, "null_label", None) is not None
        or isinstance(field, forms.ModelMultipleChoiceField)
    ):
        return
    options = remembered(
        ("options", *key, field.to_field_name or "pk"),
        lambda: [(field.prepare_value(row), field.label_from_instance(row)) for row in queryset],
    )
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    set_choices(field, empty + options)


def set_choices(field: forms.ChoiceField, choices: list) -> None:
    """Give a field and its widget this list of choices as they are (the `choices` setter
    of django-filter's fields would add the empty choice a second time)."""
    field._choices = field.widget.choices = choices


# ---------------------------------------------------------------------------
# Rendering select boxes without a template per option
# ---------------------------------------------------------------------------
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _escape(value) -> str:
    """`conditional_escape(value)`, without its check of every argument for a lazy string on
    each call (`keep_lazy`): a page's selects escape some 300 values and labels."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def _text(value) -> str:
    """What `{{ value }}` prints in a widget template: localized, escaped unless safe."""
    if not isinstance(value, str):
        value = formats.localize(value)
    return _escape(value)


def _attrs(attrs: dict) -> str:
    """Django's `attrs.html`: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def render_select(widget: dict) -> str | None:
    """The markup Django's `select.html` and `select_option.html` give for a widget context,
    byte for byte, built in Python: a select of 700 options (S&T fields, administrative units)
    renders in well under a millisecond instead of 700 template includes. None when an option
    uses another template (a widget of its own), which is then rendered the usual way."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            out.append(
                f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")  # the renderer strips the template's last newline
    return "".join(out)


# Django's widget templates that are nothing but `{% include "…/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
        "search", "tel", "color", "checkbox",
    )
)  # fmt: skip


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: str() of the value (not localized), escaped unless
    the value is already safe."""
    return _escape(value if isinstance(value, str) else str(value))


def render_input(widget: dict) -> str:
    """The markup of Django's `input.html` for a widget context, byte for byte (the filter
    sidebars and forms carry several text, number and date boxes on every list page)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


class FastSelectRenderer(DjangoTemplates):
    """The form renderer of the site (`FORM_RENDERER`): Django's own, except that select
    boxes are written by `render_select` instead of one template include per option, and
    plain `<input>` boxes by `render_input`."""

    def render(self, template_name, context, request=None):
        if "widget" in context:
            if template_name == SELECT_TEMPLATE:
                html = render_select(context["widget"])
                if html is not None:
                    return html
            elif template_name in INPUT_TEMPLATES:
                return render_input(context["widget"])
        return super().render(template_name, context, request=request)
