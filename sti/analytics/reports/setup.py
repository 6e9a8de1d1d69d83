"""The report generator's part of the analytics app's `ready()`: its pages under
/phan-tich/bao-cao/, the editors' menu entry, and the check of its templates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from sti.analytics.reports import checks  # noqa: F401 — registers the system check
    from sti.core import registries as r

    r.register_urls("phan-tich/bao-cao/", "sti.analytics.reports.urls")
    r.register_menu_entry(
        r.EDITOR_TOOLS, _("Báo cáo phân tích"), "analytics_reports:list", order=88
    )
