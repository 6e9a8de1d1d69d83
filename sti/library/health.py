"""The library's status checks (OCR, pdftotext), registered in `LibraryConfig.ready()`."""

from __future__ import annotations

import shutil

from django.utils.translation import gettext as _

from sti.core.registries import OK, WARNING, Check


def ocr() -> Check:
    from sti.library.ingest import ocr_status

    available, reason = ocr_status()
    return Check(
        _("Nhận dạng ký tự (OCR)"),
        OK if available else WARNING,
        _("sẵn sàng") if available else reason,
    )


def pdftotext() -> Check:
    found = shutil.which("pdftotext")
    return Check(
        _("Trích văn bản dự phòng (pdftotext)"),
        OK if found else WARNING,
        found or _("chưa cài poppler-utils"),
    )
