"""The search index's status check, registered in `SearchConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.core.registries import ERROR, OK, WARNING, Check


def search_index() -> list[Check]:
    """Documents in the index against records in the database, per type."""
    from sti.search.registry import all_specs
    from sti.search.services import get_backend

    try:
        backend = get_backend()
    except Exception as error:  # noqa: BLE001
        return [Check(_("Chỉ mục tìm kiếm"), ERROR, str(error))]
    checks = []
    for spec in all_specs():
        indexed, stored = backend.count(spec.type), spec.queryset().count()
        # Drafts and hidden records are stored but not indexed, so fewer is normal;
        # more indexed than stored means deleted records linger.
        state = WARNING if indexed > stored or (stored and not indexed) else OK
        detail = _("%(indexed)s trong chỉ mục / %(stored)s trong cơ sở dữ liệu") % {
            "indexed": f"{indexed:,}",
            "stored": f"{stored:,}",
        }
        checks.append(Check(_("Chỉ mục: %(label)s") % {"label": spec.label}, state, detail))
    return checks
