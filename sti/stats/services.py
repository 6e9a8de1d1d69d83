"""Workflows of the statistics app: periods and assignments, filling (online, Excel, API),
submitting, reviewing, reminders. Each verb checks access, runs in one transaction and
writes an audit row; e-mails go after the commit, sent by the worker.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.choices import AuditAction
from sti.stats import access, layout, lifecycle, prefill, tasks, validation
from sti.stats.choices import ReminderKind, SubmissionSourceKind, SubmissionStatus, ValueKind
from sti.stats.models import (
    Period,
    Regime,
    Reminder,
    Submission,
    SubmissionValue,
    SubmissionVersion,
    split_key,
)


class InvalidValues(ValidationError):
    """Values that cannot be stored; `issues` point at the cells (nothing was written)."""

    def __init__(self, issues: list[validation.Issue], cells: dict | None = None):
        self.issues = issues
        labels = cells or {}
        super().__init__(
            {
                issue.key: [
                    f"{labels[issue.key].label}: {issue.message}"
                    if issue.key in labels
                    else issue.message
                ]
                for issue in issues
            }
        )


def _editor(actor) -> None:
    if not access.can_manage_periods(actor):
        raise PermissionDenied(_("Chỉ biên tập viên được quản lý kỳ báo cáo."))


# ---------------------------------------------------------------------------
# Periods and assignments
# ---------------------------------------------------------------------------
@transaction.atomic
def open_period(actor, year: int, regime: Regime, *, deadline: dt.date | None = None) -> Period:
    _editor(actor)
    if Period.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Kỳ báo cáo năm %(year)s đã có.") % {"year": year}})
    period = Period.objects.create(
        year=year, regime=regime, deadline=deadline or regime.default_deadline(year)
    )
    audit.record_create(actor, period)
    return period


@transaction.atomic
def assign_forms(actor, period: Period, organizations, forms) -> list[Submission]:
    """Ask each organization to file each form (already asked: unchanged); new submissions
    are pre-filled from the registry."""
    _editor(actor)
    created = []
    for form in forms:
        if form.regime_id != period.regime_id:
            raise ValidationError(
                _("Biểu %(form)s không thuộc chế độ của kỳ báo cáo.") % {"form": form.code}
            )
        grid = layout.build(form)
        for organization in organizations:
            submission, new = Submission.objects.get_or_create(
                period=period, organization=organization, form=form
            )
            if new:
                values = prefill.prefill_values(grid, organization, period)
                if values:
                    submission.values = values
                    submission.prefilled = sorted(values)
                    submission.source = SubmissionSourceKind.PREFILL
                    submission.save(update_fields=["values", "prefilled", "source"])
                created.append(submission)
    if created:
        audit.record(
            actor,
            AuditAction.CREATE,
            period,
            {"assigned": [str(s) for s in created]},
            note=_("Giao biểu báo cáo"),
        )
    return created


# ---------------------------------------------------------------------------
# Filling
# ---------------------------------------------------------------------------
def check_values(submission: Submission, raw: dict, *, grid=None):
    """(canonical values, issues) of `raw` for the submission's form: what would be stored
    and what the rules say, writing nothing. Unreadable cells are error issues."""
    grid = grid or layout.build(submission.form)
    values, unreadable = layout.parse(grid, raw)
    issues = [
        validation.Issue(key, "error", message, "type") for key, message in unreadable.items()
    ]
    issues += validation.validate(grid, values, validation.Context(submission))
    return values, issues


def save_values(
    actor,
    submission: Submission,
    raw: dict,
    *,
    source: str = SubmissionSourceKind.ONLINE,
    strict: bool = False,
) -> list[validation.Issue]:
    """Replace the draft values with `raw` (cell key → value). Unreadable values are never
    stored; with `strict` (uploads, the API) nothing is stored while any rule fails either.
    Returns the issues (warnings, and rule errors of a saved draft)."""
    if not access.can_fill_submission(actor, submission):
        raise PermissionDenied(_("Bạn không được sửa báo cáo này."))
    grid = layout.build(submission.form)
    values, issues = check_values(submission, raw, grid=grid)
    blocking = [i for i in issues if i.is_error and (strict or i.rule == "type")]
    if blocking:
        raise InvalidValues(blocking, grid.cells)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.is_editable:
            raise PermissionDenied(_("Báo cáo đã nộp: số liệu không sửa được."))
        before = dict(locked.values)
        locked.values = values
        locked.source = source
        locked.prefilled = [k for k in locked.prefilled if values.get(k) == before.get(k)]
        locked.save(update_fields=["values", "source", "prefilled", "updated_at"])
        changed = {
            key: [before.get(key, ""), values.get(key, "")]
            for key in sorted(set(before) | set(values))
            if before.get(key, "") != values.get(key, "")
        }
        if changed:
            audit.record(actor, AuditAction.UPDATE, locked, {"values": changed})
    submission.values, submission.source = locked.values, locked.source
    submission.prefilled = locked.prefilled
    return issues


def _freeze(submission: Submission, actor) -> SubmissionVersion:
    number = (
        submission.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        values=dict(submission.values),
        source=submission.source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    grid = layout.build(submission.form)
    rows = []
    for key, value in submission.values.items():
        cell = grid.cells.get(key)
        if cell is None:
            continue
        text = cell.indicator.kind == ValueKind.TEXT
        rows.append(
            SubmissionValue(
                version=version,
                indicator=cell.indicator,
                option_id=cell.column.option_id,
                number=None if text else Decimal(value),
                text=value if text else "",
            )
        )
    SubmissionValue.objects.bulk_create(rows)
    return version


def submit_submission(actor, submission: Submission) -> SubmissionVersion:
    """Validate and submit: the values are frozen as a new version. Refused (nothing
    changes) while a rule of level "error" fails."""
    _values, issues = check_values(submission, submission.values)
    errors = validation.errors_of(issues)
    if errors:
        raise InvalidValues(errors, layout.build(submission.form).cells)
    with transaction.atomic():
        lifecycle.SUBMISSION.move(
            actor,
            submission,
            SubmissionStatus.SUBMITTED,
            apply=lambda s: setattr(s, "submitted_at", timezone.now()),
        )
        return _freeze(submission, actor)


def review_submission(actor, submission: Submission, *, accept: bool, note: str = "") -> Submission:
    """Accept, or return with comments (the note is required to return)."""
    target = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED

    def apply(locked):
        locked.reviewed_at = timezone.now()
        locked.review_note = note

    was_accepted = submission.status == SubmissionStatus.ACCEPTED
    with transaction.atomic():
        moved = lifecycle.SUBMISSION.move(actor, submission, target, note=note, apply=apply)
        # Accepting adds the figures to the aggregates; returning an accepted one removes them.
        if accept or was_accepted:
            schedule_aggregation(submission.period, requested_by=actor)
    return moved


# ---------------------------------------------------------------------------
# Aggregates: rebuilt by the worker (sti.stats.aggregation)
# ---------------------------------------------------------------------------
def schedule_aggregation(period: Period, *, requested_by=None):
    """Queue a rebuild of the period's aggregates after the commit, unless one is already
    queued (and not yet started: it will read the new state)."""
    from sti.core import jobs as core_jobs
    from sti.core.choices import JobState
    from sti.core.models import TrackedJob
    from sti.stats.jobs import AGGREGATE

    waiting = TrackedJob.objects.filter(
        kind=AGGREGATE,
        target_type=period._meta.label_lower,
        target_id=str(period.pk),
        state=JobState.QUEUED,
    )
    if waiting.exists():
        return waiting.first()
    job = core_jobs.create(
        AGGREGATE,
        target=period,
        label=str(_("Tổng hợp số liệu năm %(year)s") % {"year": period.year}),
        requested_by=requested_by,
    )
    return core_jobs.enqueue(job, tasks.rebuild_aggregates, job.pk, period.pk)


def request_aggregation(actor, period: Period):
    """An editor asks for a rebuild now (e.g. after correcting the directory)."""
    _editor(actor)
    return schedule_aggregation(period, requested_by=actor)


def compare_versions(old: dict, new: dict, grid) -> list[dict]:
    """The cells whose values differ between two versions, in form order."""
    rows = []
    for key, cell in grid.cells.items():
        a, b = old.get(key, ""), new.get(key, "")
        if a != b:
            rows.append({"key": key, "label": cell.label, "old": a, "new": b})
    return rows


def completeness(submission: Submission, grid) -> int:
    """Filled cells of the indicators that have at least one cell, in percent (of rows)."""
    if not grid.indicators:
        return 0
    filled = {split_key(key)[0] for key, value in submission.values.items() if value != ""}
    return round(100 * len(filled & set(grid.indicators)) / len(grid.indicators))


# ---------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------
def remind(actor, submissions) -> int:
    """One-click reminders from the board: one e-mail per open submission today."""
    _editor(actor)
    today = timezone.localdate()
    queued = []
    with transaction.atomic():
        for submission in submissions:
            if not submission.is_editable:
                continue
            reminder, created = Reminder.objects.get_or_create(
                submission=submission, kind=ReminderKind.MANUAL, due_on=today
            )
            if created:
                queued.append(reminder.pk)
        if queued:
            audit.record(
                actor,
                AuditAction.UPDATE,
                submissions[0].period,
                {"reminders": len(queued)},
                note=_("Gửi thư nhắc nộp báo cáo"),
            )
    for pk in queued:
        transaction.on_commit(lambda pk=pk: tasks.send_reminder.enqueue(pk))
    return len(queued)


# ---------------------------------------------------------------------------
# Excel upload: the preview validates exactly what the confirmation writes
# ---------------------------------------------------------------------------
def check_upload(submission: Submission, source):
    """(read result, canonical values, issues located at sheet cells) of a filled workbook;
    writes nothing."""
    from sti.stats import workbook

    grid = layout.build(submission.form)
    read = workbook.read_workbook(source, submission, grid)
    if read.file_errors:
        return read, {}, []
    values, issues = check_values(submission, read.raw, grid=grid)
    located = [
        validation.Issue(i.key, i.level, workbook.located(i.message, i.key, read, grid), i.rule)
        for i in issues
    ]
    return read, values, located


def apply_upload(actor, submission: Submission, source) -> list[validation.Issue]:
    """Store a workbook's values as the draft, all or nothing: a file error or any failed
    rule stores nothing (InvalidValues / ValidationError)."""
    if not access.can_fill_submission(actor, submission):
        raise PermissionDenied(_("Bạn không được sửa báo cáo này."))
    read, _values, issues = check_upload(submission, source)
    if read.file_errors:
        raise ValidationError(read.file_errors)
    errors = validation.errors_of(issues)
    if errors:
        raise InvalidValues(errors)
    return save_values(actor, submission, read.raw, source=SubmissionSourceKind.EXCEL, strict=True)
