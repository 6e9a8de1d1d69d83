"""Tracked background jobs: one model (`TrackedJob`) and one runner for every long operation.

A service creates the job row in its transaction (`create`) and hands it to `enqueue` with the
app's `@task` and its JSON arguments: the job row records which task runs it with which
arguments, and the task is enqueued after the commit. The task calls the app's `jobs.py`,
which runs the work through `run`:

    def build_catalogue(job_id):
        return jobs.run(job_id, _build)           # _build(progress, job) -> summary text

`run` claims the job (queued, or running under a lease that expired) and holds a lease on it:
the worker renews it on each progress report and from a heartbeat thread while it works. It
hands the work a `Progress` (done/total and a message, written at most once a second), and
records the outcome: done with the summary, waiting (the work raised `Waiting`, e.g. OCR is
not installed), or failed with the error text, which only editors see. Work that writes its
result in one transaction calls `complete(job, summary)` inside it, so that the result and the
job's "done" are written together, once, by the worker that holds the lease.

A worker that dies (killed, out of memory, a reboot) stops renewing its lease. Every worker
runs `reap` when it starts and periodically (`sti worker`; also `sti requeue_stale`): a job
whose lease expired is enqueued again, or, after `STI_JOB_MAX_ATTEMPTS` runs, marked failed
with the reason; editors can `retry` it. The status page lists stale and failed jobs. Pages
show a job with the `core/_job_status.html` partial (`status_context`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.choices import AuditAction, JobState
from sti.core.models import TrackedJob

logger = logging.getLogger(__name__)
ERROR_MAX = 2000


class Waiting(Exception):
    """The work cannot run until something is fixed (its message says what); the job stays
    'waiting' and is requeued later."""


class LeaseLost(Exception):
    """Another worker holds the job now (this one was presumed dead): stop, write nothing."""


# ---------------------------------------------------------------------------
# Leases
# ---------------------------------------------------------------------------
def lease_seconds() -> float:
    """How long a worker holds a job without renewing (STI_JOB_LEASE_SECONDS, default 60)."""
    return float(getattr(settings, "STI_JOB_LEASE_SECONDS", 60))


def max_attempts() -> int:
    """Runs of a job before a lost worker marks it failed (STI_JOB_MAX_ATTEMPTS, default 3)."""
    return max(1, int(getattr(settings, "STI_JOB_MAX_ATTEMPTS", 3)))


def worker_id() -> str:
    """This process, as written on the jobs it holds: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _lease_end():
    return timezone.now() + timedelta(seconds=lease_seconds())


class _Heartbeat(threading.Thread):
    """Renews the lease of one job every third of the lease while the work runs (OCR of one
    page can outlast the lease without a progress report)."""

    def __init__(self, job_id: int, worker: str):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.worker = job_id, worker
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.wait(lease_seconds() / 3):
                try:
                    TrackedJob.objects.filter(
                        pk=self.job_id, worker=self.worker, state=JobState.RUNNING
                    ).update(lease_until=_lease_end())
                except Exception:  # noqa: BLE001 — a busy database: try again at the next beat
                    logger.warning("job %s: lease not renewed", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()


# ---------------------------------------------------------------------------
# Creating and enqueueing
# ---------------------------------------------------------------------------
def create(
    kind: str, *, target=None, label: str = "", requested_by=None, total: int = 100
) -> TrackedJob:
    """A queued job (inside the caller's transaction; then `enqueue` it)."""
    return TrackedJob.objects.create(
        kind=kind,
        label=label[:300],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
        total=total,
    )


def enqueue(job: TrackedJob, task, *args, after_commit: bool = True) -> TrackedJob:
    """Record on the job which `@task` runs it with which JSON arguments, and enqueue the task
    after the commit (at once with `after_commit=False`, from an on-commit callback): a job
    whose worker died can then be enqueued again (`reap`, `retry`)."""
    path = task.module_path
    TrackedJob.objects.filter(pk=job.pk).update(task_path=path, task_args=list(args))
    job.task_path, job.task_args = path, list(args)
    send = partial(_send, job.pk, path, list(args))
    if after_commit:
        transaction.on_commit(send)
    else:
        send()
    return job


def _send(job_id: int, path: str, args: list) -> None:
    result = import_string(path).enqueue(*args)
    TrackedJob.objects.filter(pk=job_id).update(task_result_id=str(result.id)[:64])


def pending(kind: str, *, within: float | None = None) -> bool:
    """Whether a job of this kind is queued or running (started less than `within` seconds
    ago: a worker that died leaves a stale row, which must not block a new request)."""
    now = timezone.now()
    jobs = TrackedJob.objects.filter(kind=kind).active()
    jobs = jobs.exclude(state=JobState.RUNNING, lease_until__lt=now)  # its worker died
    if within is not None:
        jobs = jobs.filter(created_at__gte=now - timedelta(seconds=within))
    return jobs.exists()


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------
class Progress:
    """What the work reports while it runs; one UPDATE per second at most (progress is for a
    person watching, not a log). Each write renews the worker's lease."""

    def __init__(self, job: TrackedJob, interval: float = 1.0):
        self.job = job
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int | None = None, *, total: int | None = None, message=None):
        values = {}
        if done is not None:
            values["done"] = max(0, int(done))
        if total is not None:
            values["total"] = max(0, int(total))
        if message is not None:
            values["message"] = str(message)[:500]
        now = time.monotonic()
        # A new message is always written; a bare count only once per interval.
        if values and (message is not None or now - self._last >= self.interval):
            self._last = now
            held = TrackedJob.objects.filter(pk=self.job.pk, worker=self.job.worker).update(
                lease_until=_lease_end(), **values
            )
            if not held:
                raise LeaseLost(self.job.pk)
            for key, value in values.items():
                setattr(self.job, key, value)

    def fraction(self, value: float) -> None:
        """Report progress as a fraction 0 → 1 of the job's total."""
        self(int(self.job.total * min(1.0, max(0.0, value))))


def _finish(job: TrackedJob, **values) -> bool:
    """Record the outcome, if this worker still holds the job."""
    values.update(lease_until=None, finished_at=timezone.now())
    held = TrackedJob.objects.filter(pk=job.pk, worker=job.worker, state=JobState.RUNNING).update(
        **values
    )
    if held:
        for key, value in values.items():
            setattr(job, key, value)
    else:
        logger.warning("job %s: another worker holds it now; outcome not recorded", job.pk)
    return bool(held)


def complete(job: TrackedJob, summary: str | None = None) -> None:
    """Mark the job done inside the transaction that writes its result, so that the result is
    written once: raises LeaseLost (rolling the transaction back) when another worker holds
    the job now."""
    values = {"state": JobState.DONE, "done": job.total}
    if summary is not None:
        values["message"] = str(summary)[:500]
    if not _finish(job, **values):
        raise LeaseLost(job.pk)


def _claim(job_id: int, worker: str) -> bool:
    """Take the job: queued, or running under a lease that expired (its worker died)."""
    now = timezone.now()
    claimable = TrackedJob.objects.filter(pk=job_id).filter(
        Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, lease_until__lt=now)
    )
    return bool(
        claimable.update(
            state=JobState.RUNNING,
            worker=worker,
            lease_until=_lease_end(),
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            done=0,
            error="",
        )
    )


def run(job_id: int, work: Callable[[Progress, TrackedJob], str | None]) -> TrackedJob:
    """Run `work(progress, job)` as the job; it returns a summary (or None). Never raises for
    a failure of the work: the job records it and the worker keeps going. A job already
    finished, or held by a live worker, is left alone (a task delivered twice runs once)."""
    me = worker_id()
    if not _claim(job_id, me):
        logger.info("job %s is finished or held by a live worker: not run again", job_id)
        return TrackedJob.objects.get(pk=job_id)
    job = TrackedJob.objects.get(pk=job_id)
    heartbeat = _Heartbeat(job.pk, me)
    heartbeat.start()
    try:
        summary = work(Progress(job), job)
    except Waiting as reason:
        _finish(job, state=JobState.WAITING, done=0, message=str(reason)[:500])
    except LeaseLost:
        logger.warning("job %s: lease lost to another worker; stopped", job.pk)
        job.refresh_from_db()
    except Exception as error:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            state=JobState.FAILED,
            error=(str(error) or error.__class__.__name__)[:ERROR_MAX],
        )
    else:
        if job.state == JobState.RUNNING:  # not completed inside the work's own transaction
            values = {"state": JobState.DONE, "done": job.total}
            if summary is not None:
                values["message"] = str(summary)[:500]
            _finish(job, **values)
    finally:
        heartbeat.stop()
    return job


# ---------------------------------------------------------------------------
# Jobs whose worker died: the reaper, and an editor's retry
# ---------------------------------------------------------------------------
@dataclass
class Reaped:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def reap(now=None) -> Reaped:
    """Take again every running job whose lease expired: enqueue its task again, or, after
    `max_attempts()` runs (or when the job does not know its task), mark it failed with the
    reason. Safe to run from every worker at once: each job is taken by one reaper only."""
    now = now or timezone.now()
    reaped = Reaped()
    for job in TrackedJob.objects.stale(now).order_by("pk"):
        # Only if nothing moved since we read it: a late renewal or another reaper wins.
        same = TrackedJob.objects.filter(
            pk=job.pk, state=JobState.RUNNING, lease_until=job.lease_until
        )
        lost = _("Tiến trình nền %(worker)s ngừng khi đang làm (lần chạy %(n)s/%(max)s).") % {
            "worker": job.worker or "?",
            "n": job.attempts,
            "max": max_attempts(),
        }
        if job.attempts >= max_attempts() or not job.task_path:
            if not job.task_path:
                lost += " " + _("Công việc không ghi tác vụ nên không chạy lại được.")
            if same.update(
                state=JobState.FAILED,
                lease_until=None,
                finished_at=now,
                error=lost[:ERROR_MAX],
                message=_("Dừng sau khi tiến trình nền ngừng %(n)s lần.") % {"n": job.attempts},
            ):
                _abandon_task_result(job.task_result_id, lost)
                reaped.failed.append(job.pk)
                logger.error("job %s (%s) failed: %s", job.pk, job.kind, lost)
            continue
        if same.update(
            state=JobState.QUEUED,
            worker="",
            lease_until=None,
            message=_("Đang chờ chạy lại: %(reason)s") % {"reason": lost},
        ):
            _abandon_task_result(job.task_result_id, lost)
            reaped.requeued.append(job.pk)
            logger.warning("job %s (%s) requeued: %s", job.pk, job.kind, lost)
            _resend(job)
    return reaped


def _resend(job: TrackedJob) -> None:
    try:
        _send(job.pk, job.task_path, list(job.task_args or []))
    except Exception as error:  # noqa: BLE001 — the task is gone or the queue is down
        logger.exception("job %s could not be enqueued again", job.pk)
        TrackedJob.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
            state=JobState.FAILED,
            finished_at=timezone.now(),
            error=(_("Không đưa lại vào hàng đợi được: %(error)s") % {"error": error})[:ERROR_MAX],
        )


def _abandon_task_result(result_id: str, reason: str) -> None:
    """The database backend keeps a dead worker's task RUNNING forever: close it as failed."""
    if not result_id or getattr(settings, "TASK_BACKEND", "") != "database":
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=result_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path=f"{__name__}.LeaseLost",
        traceback=reason,
    )


def retry(actor, job: TrackedJob) -> TrackedJob:
    """An editor queues a failed (or stale) job again, with a fresh count of runs."""
    if actor is None or not actor.is_authenticated or not actor.is_editor:
        raise PermissionDenied
    if not job.can_retry:
        raise ValidationError(_("Công việc này không chạy lại được."))
    with transaction.atomic():
        old = job.state
        updated = TrackedJob.objects.filter(pk=job.pk, state=old).update(
            state=JobState.QUEUED,
            worker="",
            lease_until=None,
            attempts=0,
            done=0,
            error="",
            finished_at=None,
            message=_("Biên tập viên cho chạy lại"),
        )
        if not updated:
            raise ValidationError(_("Công việc vừa đổi trạng thái; hãy tải lại trang."))
        job.refresh_from_db()
        audit.record(actor, AuditAction.TRANSITION, job, {"state": [old, JobState.QUEUED]})
        transaction.on_commit(partial(_abandon_task_result, job.task_result_id, "retry"))
        transaction.on_commit(partial(_resend, job))
    return job


def run_reaper(stop: threading.Event, interval: float | None = None) -> threading.Thread:
    """A worker's background reaper: every `interval` seconds (default the lease) until `stop`."""

    def loop():
        try:
            while not stop.wait(interval or lease_seconds()):
                try:
                    close_old_connections()
                    reap()
                except Exception:  # noqa: BLE001 — a busy database: try again next time
                    logger.warning("reaper pass failed", exc_info=True)
                run_periodic()
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name="job-reaper", daemon=True)
    thread.start()
    return thread


def run_periodic() -> None:
    """Run every registered periodic work once (`registries.register_periodic`); a failure
    is logged and the others still run."""
    from sti.core.registries import periodic_work

    for key, work in periodic_work():
        try:
            work()
        except Exception:  # noqa: BLE001 — logged; the next pass tries again
            logger.warning("periodic work %s failed", key, exc_info=True)


def status_context(job: TrackedJob | None, user, *, poll_url: str = "") -> dict:
    """Context for `core/_job_status.html`: the error text and the retry button are only for
    editors."""
    return {
        "job": job,
        "poll_url": poll_url,
        "show_error": bool(user is not None and user.is_authenticated and user.is_editor),
    }
