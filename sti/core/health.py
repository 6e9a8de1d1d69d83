"""What the platform depends on, checked live: for the status page and `sti status`.

Optional parts (OCR, PDF output) are reported as missing with the package to install,
never as a crash; required parts (database, search index) as errors.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass
class Check:
    label: str
    state: str
    detail: str


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        version = (
            connection.Database.sqlite_version
            if connection.vendor == "sqlite"
            else connection.pg_version
        )
    except Exception as error:  # noqa: BLE001 — any failure is what the page must show
        return Check(_("Cơ sở dữ liệu"), ERROR, str(error))
    return Check(_("Cơ sở dữ liệu"), OK, f"{connection.vendor} {version}")


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


def task_worker() -> Check:
    label = _("Tiến trình nền (worker)")
    if settings.TASK_BACKEND != "database":
        return Check(label, OK, settings.TASKS["default"]["BACKEND"])
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY")
    stale = waiting.filter(enqueued_at__lt=timezone.now() - timedelta(minutes=5)).count()
    failed = DBTaskResult.objects.filter(
        status="FAILED", finished_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    detail = _("%(waiting)s tác vụ đang chờ, %(failed)s lỗi trong 24 giờ") % {
        "waiting": waiting.count(),
        "failed": failed,
    }
    if stale:
        return Check(
            label, ERROR, detail + " — " + _("có tác vụ chờ quá 5 phút: hãy chạy `sti worker`")
        )
    return Check(label, WARNING if failed else OK, detail)


def ocr() -> Check:
    try:
        ocr_status = import_string("sti.library.ingest.ocr_status")
    except ImportError:
        return Check(_("Nhận dạng ký tự (OCR)"), WARNING, _("ứng dụng thư viện chưa được cài"))
    available, reason = ocr_status()
    return Check(
        _("Nhận dạng ký tự (OCR)"),
        OK if available else WARNING,
        _("sẵn sàng") if available else reason,
    )


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


def pdftotext() -> Check:
    found = shutil.which("pdftotext")
    return Check(
        _("Trích văn bản dự phòng (pdftotext)"),
        OK if found else WARNING,
        found or _("chưa cài poppler-utils"),
    )


def disk_space() -> Check:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_gb = usage.free / 1024**3
    state = ERROR if free_gb < 1 else WARNING if free_gb < 10 else OK
    return Check(
        _("Dung lượng trống của thư mục dữ liệu"),
        state,
        _("%(free).1f GB trống / %(total).1f GB (%(path)s)")
        % {"free": free_gb, "total": usage.total / 1024**3, "path": settings.DATA_DIR},
    )


def all_checks() -> list[Check]:
    return [
        database(),
        *search_index(),
        task_worker(),
        ocr(),
        pdf_output(),
        pdftotext(),
        disk_space(),
    ]
