"""What the platform depends on, checked live: for the status page and `sti status`.

Each app registers its own checks in its `AppConfig.ready()` (search: the index against the
database; library: OCR and pdftotext; publishing: PDF output); the portal adds the database,
the task worker and the disk. Optional parts are reported as missing with the package to
install, never as a crash; required parts (database, search index) as errors.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import files, jobs
from sti.core.choices import JobState
from sti.core.models import TrackedJob
from sti.core.registries import ERROR, OK, WARNING, Check, status_checks

__all__ = ["ERROR", "OK", "WARNING", "Check", "all_checks", "worst_state"]


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


def _describe(job: TrackedJob) -> str:
    return _("%(label)s (%(kind)s, %(percent)s %%, tiến trình %(worker)s, lần %(n)s/%(max)s)") % {
        "label": job.label or job.kind,
        "kind": job.kind,
        "percent": job.percent,
        "worker": job.worker or "?",
        "n": job.attempts,
        "max": jobs.max_attempts(),
    }


def tracked_jobs() -> Check:
    """Jobs whose worker died (lease expired, not yet taken again: no live worker) are an
    error; jobs failed in the last 7 days a warning, with the page where editors retry them."""
    label = _("Công việc nền (OCR, trích xuất, danh mục…)")
    link = {"link_url": reverse("core:jobs"), "link_label": _("Xem và chạy lại")}
    now = timezone.now()
    recent_failure = Q(state=JobState.FAILED, finished_at__gte=now - timedelta(days=7))
    counts = TrackedJob.objects.aggregate(
        stale=Count("pk", filter=Q(state=JobState.RUNNING, lease_until__lt=now)),
        failed=Count("pk", filter=recent_failure),
        active=Count("pk", filter=Q(state__in=[JobState.QUEUED, JobState.RUNNING])),
    )
    if counts["stale"]:
        stale = TrackedJob.objects.stale(now).order_by("lease_until")[:5]
        return Check(
            label,
            ERROR,
            _(
                "%(n)s công việc mất tiến trình nền (quá hạn giữ việc, chưa được chạy lại): "
                "%(names)s. Hãy chạy `sti worker`."
            )
            % {"n": counts["stale"], "names": "; ".join(_describe(job) for job in stale)},
            repair_url=reverse("core:jobs_reap"),
            repair_command="sti requeue_stale",
            repair_label=_("Chạy lại ngay"),
            **link,
        )
    detail = _("%(active)s đang chờ hoặc đang chạy, %(failed)s lỗi trong 7 ngày") % counts
    if counts["failed"]:
        failed = TrackedJob.objects.filter(recent_failure).order_by("-finished_at")[:5]
        names = "; ".join(f"{job.label or job.kind} ({job.kind})" for job in failed)
        return Check(label, WARNING, f"{detail}: {names}", **link)
    return Check(label, OK, detail, **link)


def file_storage() -> Check:
    """Where files are stored (a folder, or an S3 bucket) and whether it answers."""
    problem = files.reachable()
    return Check(
        _("Kho tệp"),
        ERROR if problem else OK,
        files.describe() + (f": {problem}" if problem else ""),
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
    checks: list[Check] = []
    for check in status_checks():
        result = check()
        checks.extend([result] if isinstance(result, Check) else result)
    return checks


def worst_state(checks: list[Check]) -> str:
    return max((check.state for check in checks), key=[OK, WARNING, ERROR].index, default=OK)
