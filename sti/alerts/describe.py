"""Readable summaries of saved searches ("Từ khóa: …; Lĩnh vực: 401 Khoa học nông nghiệp"),
with the labels of many searches read in a few queries."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.search.registry import ORGANIZATION_TAG, type_labels


def _names():
    return {
        "type": _("Loại bản ghi"),
        "field": _("Lĩnh vực KH&CN"),
        "year": _("Năm"),
        ORGANIZATION_TAG: _("Tổ chức"),
    }


def describe(saved_searches) -> None:
    """Set `.summary` (a list of (label, values) pairs) on each saved search."""
    saved_searches = list(saved_searches)
    wanted = {
        name: {v for s in saved_searches for v in s.filters.get(name, ())}
        for name in ("field", ORGANIZATION_TAG)
    }
    fields = FieldOfScience.objects.current().labels() if wanted["field"] else {}
    org_ids = [int(v) for v in wanted[ORGANIZATION_TAG] if str(v).isdigit()]
    organizations = (
        dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
        if org_ids
        else {}
    )
    types, names = type_labels(), _names()

    def label(name, value):
        if name == "type":
            return types.get(value, value)
        if name == "field":
            return f"{value} {fields.get(value, '')}".strip()
        if name == ORGANIZATION_TAG and str(value).isdigit():
            return organizations.get(int(value), value)
        return value

    for saved in saved_searches:
        summary = []
        if saved.query:
            summary.append((_("Từ khóa"), [saved.query]))
        for name, values in sorted(saved.filters.items()):
            summary.append((names.get(name, name), [label(name, v) for v in values]))
        if saved.year_from is not None or saved.year_to is not None:
            span = f"{saved.year_from or '…'}–{saved.year_to or '…'}"
            summary.append((_("Khoảng năm"), [span]))
        saved.summary = summary
