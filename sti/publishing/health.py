"""PDF output's status check, registered in `PublishingConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.core.registries import OK, WARNING, Check


def pdf_output() -> Check:
    label = _("Xuất PDF (WeasyPrint)")
    try:
        import weasyprint  # noqa: F401 — loading it loads pango
    except (ImportError, OSError) as error:
        return Check(
            label,
            WARNING,
            _("thiếu thư viện hệ thống pango (libpango-1.0-0): %(e)s") % {"e": error},
        )
    return Check(label, OK, _("sẵn sàng"))
