"""The one form-styling mixin: Bootstrap 5 classes on widgets, error and required marks.

Every form of every app inherits `StyledFormMixin`; FilterSets use `StyledFilterSetMixin`
(small controls for the sidebar). The field markup itself is `core/form_fields.html`.
"""

from __future__ import annotations

from django import forms

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


class StyledFilterSetMixin:
    """A FilterSet whose form carries small Bootstrap controls (the page sidebar renders it)."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_fields(form.fields, size="sm")
            form._styled = True
        return form


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
