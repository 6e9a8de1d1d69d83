"""Tracked background jobs: one model (`TrackedJob`) and one runner for every long operation.

A service creates the job row in its transaction (`create`) and enqueues the app's `@task`
after the commit; the task calls the app's `jobs.py`, which runs the work through `run`:

    def build_catalogue(job_id):
        return jobs.run(job_id, _build)           # _build(progress, job) -> summary text

`run` marks the job running, hands the work a `Progress` (done/total and a message, written
at most once a second), and records the outcome: done with the summary, waiting (the work
raised `Waiting`, e.g. OCR is not installed), or failed with the error text, which only
editors see. Pages show a job with the `core/_job_status.html` partial (`status_context`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from sti.core.choices import JobState
from sti.core.models import TrackedJob

logger = logging.getLogger(__name__)
ERROR_MAX = 2000


class Waiting(Exception):
    """The work cannot run until something is fixed (its message says what); the job stays
    'waiting' and is requeued later."""


def create(
    kind: str, *, target=None, label: str = "", requested_by=None, total: int = 100
) -> TrackedJob:
    """A queued job (inside the caller's transaction; enqueue the task after the commit)."""
    return TrackedJob.objects.create(
        kind=kind,
        label=label[:300],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
        total=total,
    )


def pending(kind: str, *, within: float | None = None) -> bool:
    """Whether a job of this kind is queued or running (started less than `within` seconds
    ago: a worker that died leaves a stale row, which must not block a new request)."""
    jobs = TrackedJob.objects.filter(kind=kind).active()
    if within is not None:
        jobs = jobs.filter(created_at__gte=timezone.now() - timedelta(seconds=within))
    return jobs.exists()


class Progress:
    """What the work reports while it runs; one UPDATE per second at most (progress is for a
    person watching, not a log)."""

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
            _update(self.job, **values)

    def fraction(self, value: float) -> None:
        """Report progress as a fraction 0 → 1 of the job's total."""
        self(int(self.job.total * min(1.0, max(0.0, value))))


def _update(job: TrackedJob, **values) -> None:
    TrackedJob.objects.filter(pk=job.pk).update(**values)
    for key, value in values.items():
        setattr(job, key, value)


def run(job_id: int, work: Callable[[Progress, TrackedJob], str | None]) -> TrackedJob:
    """Run `work(progress, job)` as the job; it returns a summary (or None). Never raises for
    a failure of the work: the job records it and the worker keeps going."""
    job = TrackedJob.objects.get(pk=job_id)
    _update(job, state=JobState.RUNNING, started_at=timezone.now(), done=0, error="")
    try:
        summary = work(Progress(job), job)
    except Waiting as reason:
        _update(
            job,
            state=JobState.WAITING,
            done=0,
            finished_at=timezone.now(),
            message=str(reason)[:500],
        )
    except Exception as error:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _update(
            job,
            state=JobState.FAILED,
            finished_at=timezone.now(),
            error=(str(error) or error.__class__.__name__)[:ERROR_MAX],
        )
    else:
        values = {"state": JobState.DONE, "done": job.total, "finished_at": timezone.now()}
        if summary is not None:
            values["message"] = str(summary)[:500]
        _update(job, **values)
    return job


def status_context(job: TrackedJob | None, user, *, poll_url: str = "") -> dict:
    """Context for `core/_job_status.html`: the error text is only for editors."""
    return {
        "job": job,
        "poll_url": poll_url,
        "show_error": bool(user is not None and user.is_authenticated and user.is_editor),
    }
