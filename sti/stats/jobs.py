"""Worker-side work of the statistics app: reminder e-mails to the reporters of
organizations that have not filed, before the deadline and after it. Callers checked access;
this module checks none.

Idempotent: a reminder row is unique per submission, kind and day, and is claimed by a
conditional update before its e-mail goes, so two workers never send the same one twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sti.stats.choices import ReminderKind, SubmissionStatus
from sti.stats.models import Reminder, Submission

logger = logging.getLogger(__name__)
LATE_EVERY_DAYS = 7  # late filers are reminded once a week


def recipients(submission: Submission) -> list[str]:
    from sti.accounts.choices import MembershipRole

    return sorted(
        {
            m.user.email
            for m in submission.organization.memberships.filter(
                is_active=True, role=MembershipRole.REPORTER
            ).select_related("user")
            if m.user.email and m.user.is_active
        }
    )


def send_reminder(reminder_id: int) -> bool:
    """Send one reminder (False: already sent, gone, or the submission was filed)."""
    claimed = Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    reminder = Reminder.objects.select_related(
        "submission__period", "submission__form", "submission__organization"
    ).get(pk=reminder_id)
    submission = reminder.submission
    to = recipients(submission)
    if not submission.is_editable or not to:
        return False
    context = {
        "submission": submission,
        "late": submission.is_late(),
        "url": f"{settings.SITE_URL}{submission.get_absolute_url()}",
        "site_name": settings.SITE_NAME,
    }
    try:
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("stats/mail/reminder_subject.txt", context).strip()
            body = render_to_string("stats/mail/reminder.txt", context)
        send_mail(" ".join(subject.split()), body, None, to)
    except Exception:  # noqa: BLE001 — the mail server is down: the next pass retries
        Reminder.objects.filter(pk=reminder_id).update(sent_at=None)
        logger.warning("stats reminder %s not sent", reminder_id, exc_info=True)
        return False
    Reminder.objects.filter(pk=reminder_id).update(recipients=len(to))
    return True


def send_due_reminders(today=None) -> int:
    """Remind open submissions `remind_days_before` days before the deadline, and late ones
    on the day after the deadline and then weekly."""
    today = today or timezone.localdate()
    open_states = [SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
    sent = 0
    candidates = Submission.objects.filter(status__in=open_states).select_related("period")
    for submission in candidates.iterator():
        deadline = submission.period.deadline
        kind = None
        if deadline - timedelta(days=submission.period.remind_days_before) == today:
            kind = ReminderKind.BEFORE_DEADLINE
        elif today > deadline and (today - deadline).days % LATE_EVERY_DAYS == 1:
            kind = ReminderKind.LATE
        if kind is None:
            continue
        reminder, _created = Reminder.objects.get_or_create(
            submission=submission, kind=kind, due_on=today
        )
        sent += send_reminder(reminder.pk)
    if sent:
        logger.info("stats reminders sent: %s", sent)
    return sent


# ---------------------------------------------------------------------------
# Aggregates: rebuilt after a submission is accepted, returned or reopened
# ---------------------------------------------------------------------------
AGGREGATE = "stats.aggregate"


def rebuild_aggregates(job_id: int, period_id: int) -> str:
    """Rebuild the current aggregates of a period as a tracked job (`aggregation.rebuild`)."""
    from sti.core import jobs as core_jobs
    from sti.stats import aggregation
    from sti.stats.models import Period

    def work(progress, job) -> str:
        built = aggregation.rebuild(Period.objects.get(pk=period_id))
        return _("%(orgs)s tổ chức, %(subs)s báo cáo, %(secs)s giây") % {
            "orgs": built.organizations,
            "subs": built.submissions,
            "secs": built.build_seconds,
        }

    return core_jobs.run(job_id, work).state
