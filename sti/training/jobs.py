"""Worker-side work of the training app: the e-mails to registrants and the reminders sent
the day before a course starts. Callers checked access; this module checks none."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sti.training.choices import CourseStatus, RegistrationStatus
from sti.training.models import Registration
from sti.training.tokens import cancel_token

logger = logging.getLogger(__name__)

# The e-mails a registrant receives; each kind has training/mail/<kind>.txt.
MAIL_KINDS = ("confirmed", "waiting", "promoted", "cancelled", "course_cancelled", "reminder")
REMINDED_STATES = (CourseStatus.OPEN, CourseStatus.CLOSED, CourseStatus.RUNNING)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_registration_mail(registration_id: int, kind: str) -> bool:
    """Send one e-mail of `kind` to a registrant; False if the registration is gone."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    registration = (
        Registration.objects.select_related("course__organizer")
        .prefetch_related("course__sessions")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return False
    course = registration.course
    context = {
        "registration": registration,
        "course": course,
        "sessions": list(course.sessions.all()),
        "course_url": _absolute(course.get_absolute_url()),
        "cancel_url": _absolute(
            reverse("training:registration_cancel_link", args=[cancel_token(registration)])
        ),
        "site_name": settings.SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"training/mail/{kind}_subject.txt", context).strip()
        body = render_to_string(f"training/mail/{kind}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [registration.email])
    return True


def send_due_reminders(today=None) -> int:
    """Remind the confirmed learners of every course whose first session is tomorrow.

    Idempotent: a registration is marked reminded by a conditional update before its e-mail
    goes, so two workers (or two passes of one) never send the same reminder twice."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    candidates = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        course__status__in=REMINDED_STATES,
        course__starts_on=tomorrow,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        claimed = Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
        if not claimed:
            continue  # another worker took it
        try:
            send_registration_mail(pk, "reminder")
        except Exception:  # noqa: BLE001 — a mail server down: let the next pass retry it
            Registration.objects.filter(pk=pk).update(reminded_at=None)
            logger.warning("reminder for registration %s not sent", pk, exc_info=True)
            continue
        sent += 1
    if sent:
        logger.info("course reminders sent: %s", sent)
    return sent
