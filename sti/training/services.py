"""Workflows of the training app: courses, registrations with the waiting list, attendance
and certificates. Each verb checks access, runs in one transaction, writes an audit row and
sends its e-mails after the commit.

Seats are counted under a row lock on the course (`select_for_update`): registrations and
cancellations of one course are serialized, so the confirmed registrations never exceed the
capacity, and a cancelled seat goes to the first on the waiting list in the same
transaction. The partial unique constraints on (course, e-mail) and (course, user) are the
backstop against a duplicate that slips past the check.
"""

from __future__ import annotations

import secrets
from functools import partial

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.choices import AuditAction
from sti.core.text import normalize
from sti.directory.models import Organization
from sti.training import access, lifecycle, tasks
from sti.training.choices import CourseStatus, LearnerGender, RegistrationStatus
from sti.training.models import (
    HELD_STATES,
    Attendance,
    Certificate,
    Course,
    CourseSession,
    Registration,
    Trainer,
)

COURSE_FIELDS = [
    "title",
    "description",
    "audience",
    "organizer",
    "delivery",
    "place",
    "online_url",
    "capacity",
    "has_waiting_list",
    "registration_opens",
    "registration_closes",
    "fee",
    "sessions_for_certificate",
]
# Public registrations from one address: at most this many per window (spam).
PUBLIC_REGISTRATIONS_PER_WINDOW = 5
PUBLIC_WINDOW_SECONDS = 600


def _mail(registration_id: int, kind: str) -> None:
    transaction.on_commit(partial(tasks.send_registration_mail.enqueue, registration_id, kind))


# ---------------------------------------------------------------------------
# Courses
# ---------------------------------------------------------------------------
def _check_organizer(actor, organizer: Organization) -> None:
    if not access.can_create_course(actor):
        raise PermissionDenied
    if not actor.is_editor and not actor.is_reporter_for(organizer.pk):
        raise ValidationError(_("Bạn chỉ tạo được khóa học của tổ chức mà bạn đại diện."))


def _save_schedule(course: Course, sessions, trainers) -> None:
    """Replace the sessions and trainers (lists of dicts) and refresh the course's dates."""
    if sessions is not None:
        kept = []
        for item in sessions:
            pk = item.get("id")
            values = {k: item[k] for k in ("starts_at", "ends_at", "topic")}
            # An id that is not one of this course's sessions makes a new session.
            if pk and CourseSession.objects.filter(pk=pk, course=course).update(**values):
                kept.append(pk)
            else:
                kept.append(CourseSession.objects.create(course=course, **values).pk)
        course.sessions.exclude(pk__in=kept).delete()
    if trainers is not None:
        course.trainers.all().delete()
        for order, item in enumerate(trainers):
            Trainer.objects.create(
                course=course,
                order=order,
                researcher=item.get("researcher"),
                name=normalize(item.get("name", "")),
                affiliation=normalize(item.get("affiliation", "")),
            )
    span = course.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    course.starts_on = timezone.localdate(span["first"]) if span["first"] else None
    course.ends_on = timezone.localdate(span["last"]) if span["last"] else None
    course.save(update_fields=["starts_on", "ends_on", "updated_at"])


@transaction.atomic
def create_course(actor, data: dict, *, fields=(), sessions=(), trainers=()) -> Course:
    _check_organizer(actor, data["organizer"])
    course = Course.objects.create(created_by=actor, **data)
    course.fields.set(fields)
    _save_schedule(course, list(sessions), list(trainers))
    audit.record_create(actor, course, m2m=["fields"])
    return course


@transaction.atomic
def update_course(course: Course, *, actor, data: dict, fields=None, sessions=None, trainers=None):
    """Change a course; `fields`, `sessions` and `trainers` left as None stay as they are."""
    if not access.can_manage_course(actor, course):
        raise PermissionDenied
    if data.get("organizer") and data["organizer"].pk != course.organizer_id:
        _check_organizer(actor, data["organizer"])
    course = Course.objects.select_for_update().get(pk=course.pk)
    before = audit.snapshot(course, m2m=["fields"])
    for name, value in data.items():
        setattr(course, name, value)
    if course.capacity < course.registrations.confirmed().count():
        raise ValidationError(
            _("Số chỗ không thể ít hơn số học viên đã được xác nhận (%(n)s).")
            % {"n": course.registrations.confirmed().count()}
        )
    course.save()
    if fields is not None:
        course.fields.set(fields)
    _save_schedule(course, sessions, trainers)
    audit.record_update(actor, course, before)
    _fill_free_seats(course)
    return course


def move_course(actor, course: Course, target: str, *, note: str = "", confirmed=False):
    """Move a course through its lifecycle; cancelling needs `confirmed` and tells every
    active registrant after the commit."""
    with transaction.atomic():
        moved = lifecycle.COURSE.move(actor, course, target, note=note, confirmed=confirmed)
        if target == CourseStatus.CANCELLED:
            for pk in moved.registrations.active().values_list("pk", flat=True):
                _mail(pk, "course_cancelled")
    return moved


# ---------------------------------------------------------------------------
# Registrations
# ---------------------------------------------------------------------------
def _registration_window_problem(course: Course) -> str:
    now = timezone.now()
    if not access.accepts_registrations(course):
        return _("Khóa học này không nhận đăng ký (%(status)s).") % {
            "status": course.get_status_display().lower()
        }
    if course.registration_opens and now < course.registration_opens:
        return _("Khóa học mở đăng ký từ %(when)s.") % {
            "when": timezone.localtime(course.registration_opens).strftime("%H:%M %d/%m/%Y")
        }
    if course.registration_closes and now > course.registration_closes:
        return _("Đã hết hạn đăng ký khóa học này.")
    return ""


def registration_problem(course: Course) -> str:
    """Why this course takes no registration now ("" when it does): for the page."""
    return _registration_window_problem(course)


def _duplicate_message() -> str:
    return _("Bạn đã đăng ký khóa học này (địa chỉ thư hoặc tài khoản đã có trong danh sách).")


def _register(actor, course: Course, values: dict) -> Registration:
    """The one writer of new registrations: seat or waiting list, under the course's lock."""
    email = values["email"].strip().lower()
    try:
        with transaction.atomic():
            locked = Course.objects.select_for_update().get(pk=course.pk)
            problem = _registration_window_problem(locked)
            if problem:
                raise ValidationError(problem)
            duplicate = Q(email=email)
            if values.get("user") is not None:
                duplicate |= Q(user=values["user"])
            if locked.registrations.active().filter(duplicate).exists():
                raise ValidationError(_duplicate_message())
            taken = locked.registrations.confirmed().count()
            if taken < locked.capacity:
                status = RegistrationStatus.CONFIRMED
            elif locked.has_waiting_list:
                status = RegistrationStatus.WAITING
            else:
                raise ValidationError(
                    _("Khóa học đã đủ %(n)s chỗ và không nhận danh sách chờ.")
                    % {"n": locked.capacity}
                )
            registration = Registration.objects.create(
                course=locked, status=status, **{**values, "email": email}
            )
            audit.record_create(actor, registration)
            _mail(
                registration.pk,
                "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting",
            )
    except IntegrityError as error:
        # The partial unique constraints: a duplicate that raced past the check.
        raise ValidationError(_duplicate_message()) from error
    return registration


def register_user(actor, course: Course, *, gender: str = "", phone: str = "") -> Registration:
    """One-click registration of a signed-in user, with their profile data."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    if not actor.email:
        raise ValidationError(
            _("Tài khoản của bạn chưa có địa chỉ thư điện tử; hãy dùng mẫu đăng ký bên dưới.")
        )
    organization = Organization.objects.filter(pk__in=actor.organization_ids()).first()
    return _register(
        actor,
        course,
        {
            "user": actor,
            "full_name": str(actor)[:150],
            "email": actor.email,
            "phone": phone or actor.phone,
            "organization_name": organization.name if organization else "",
            "organization_kind": organization.kind if organization else "",
            "gender": gender if gender in LearnerGender.values else "",
        },
    )


def public_rate_limited(client_address: str) -> bool:
    """Count a public registration from this address; True when it is over the limit."""
    key = f"training:register:{client_address}"
    cache.add(key, 0, PUBLIC_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PUBLIC_WINDOW_SECONDS)
        count = 1
    return count > PUBLIC_REGISTRATIONS_PER_WINDOW


def register_public(course: Course, data: dict, *, actor=None) -> Registration:
    """A registration from the public form (name, organization, phone, e-mail…)."""
    values = {
        "full_name": normalize(data["full_name"]).strip(),
        "email": data["email"],
        "phone": data.get("phone", "").strip(),
        "organization_name": normalize(data.get("organization_name", "")).strip(),
        "organization_kind": data.get("organization_kind", ""),
        "gender": data.get("gender", ""),
    }
    if actor is not None and actor.is_authenticated:
        values["user"] = actor
    return _register(actor, course, values)


def _promote(course: Course) -> Registration | None:
    """Give a free seat to the first on the waiting list (inside the caller's lock)."""
    first = course.registrations.waiting().first()
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "promoted_at"])
    audit.record(
        None,
        AuditAction.TRANSITION,
        first,
        {"status": [RegistrationStatus.WAITING, RegistrationStatus.CONFIRMED]},
        note=_("Chuyển từ danh sách chờ"),
    )
    _mail(first.pk, "promoted")
    return first


def _fill_free_seats(course: Course) -> list[Registration]:
    """After the capacity grew: promote from the waiting list while seats are free."""
    promoted = []
    if course.status not in (CourseStatus.OPEN, CourseStatus.CLOSED, CourseStatus.RUNNING):
        return promoted
    while course.registrations.confirmed().count() < course.capacity:
        registration = _promote(course)
        if registration is None:
            break
        promoted.append(registration)
    return promoted


def _cancel(actor, registration: Registration, note: str) -> Registration | None:
    """Cancel under the course's lock; returns who was promoted into the freed seat."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=registration.course_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("Đăng ký này đã được hủy trước đó."))
        if course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
            raise ValidationError(_("Khóa học đã kết thúc hoặc đã hủy; không hủy đăng ký được."))
        held_seat = locked.status == RegistrationStatus.CONFIRMED
        old = locked.status
        locked.status = RegistrationStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        audit.record(
            actor, AuditAction.TRANSITION, locked, {"status": [old, locked.status]}, note=note
        )
        _mail(locked.pk, "cancelled")
        promoted = _promote(course) if held_seat else None
    registration.status, registration.cancelled_at = locked.status, locked.cancelled_at
    return promoted


def cancel_registration(actor, registration: Registration, *, note: str = ""):
    """The registrant (signed in) or a course manager cancels; the seat goes to the first
    on the waiting list."""
    if not access.can_cancel_registration(actor, registration):
        raise PermissionDenied
    return _cancel(actor, registration, note)


def cancel_registration_by_link(registration: Registration, email: str):
    """A registrant without an account cancels through the signed link of their e-mail."""
    if registration.email != email:
        raise PermissionDenied
    return _cancel(None, registration, _("Hủy qua đường dẫn trong thư"))


# ---------------------------------------------------------------------------
# Attendance and certificates
# ---------------------------------------------------------------------------
@transaction.atomic
def record_attendance(actor, course: Course, present: set[tuple[int, int]]) -> int:
    """Set who was present at which session: `present` holds (registration id, session id)
    pairs for the confirmed learners; returns the number of pairs recorded."""
    if not access.can_manage_course(actor, course):
        raise PermissionDenied
    if course.status not in (CourseStatus.RUNNING, CourseStatus.FINISHED):
        raise ValidationError(_("Chỉ điểm danh được khi khóa học đã bắt đầu."))
    registrations = set(course.registrations.confirmed().values_list("pk", flat=True))
    sessions = set(course.sessions.values_list("pk", flat=True))
    wanted = {(r, s) for r, s in present if r in registrations and s in sessions}
    existing = set(
        Attendance.objects.filter(session__course=course).values_list(
            "registration_id", "session_id"
        )
    )
    removed = existing - wanted
    for registration_id, session_id in removed:
        Attendance.objects.filter(registration_id=registration_id, session_id=session_id).delete()
    Attendance.objects.bulk_create(
        [Attendance(registration_id=r, session_id=s) for r, s in wanted - existing]
    )
    if removed or wanted - existing:
        audit.record(
            actor,
            AuditAction.UPDATE,
            course,
            {"attendance": [len(existing), len(wanted)]},
            note=_("Điểm danh"),
        )
    return len(wanted)


def required_sessions(course: Course, session_count: int) -> int:
    needed = course.sessions_for_certificate or session_count
    return max(1, min(needed, session_count))


def new_certificate_code() -> str:
    """An unguessable verification code (128 bits)."""
    return secrets.token_urlsafe(16)


@transaction.atomic
def issue_certificates(actor, course: Course) -> list[Certificate]:
    """Certificates for the confirmed learners who attended enough sessions (those who hold
    one already are skipped); only for a finished course."""
    if not access.can_manage_course(actor, course):
        raise PermissionDenied
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != CourseStatus.FINISHED:
        raise ValidationError(_("Chỉ cấp chứng nhận khi khóa học đã kết thúc."))
    session_count = course.sessions.count()
    needed = required_sessions(course, session_count)
    eligible = (
        course.registrations.confirmed()
        .filter(certificate__isnull=True)
        .annotate(attended=Count("attendances"))
        .filter(attended__gte=needed)
        .order_by("full_name", "pk")
    )
    year = (course.ends_on or timezone.localdate()).year
    serial = Certificate.objects.filter(number__startswith=f"{year}/").count()
    issued = []
    for registration in eligible:
        serial += 1
        certificate = Certificate.objects.create(
            registration=registration,
            code=new_certificate_code(),
            number=f"{year}/{course.pk:04d}-{serial:04d}",
            holder_name=registration.full_name,
            issued_on=course.ends_on or timezone.localdate(),
            sessions_attended=registration.attended,
        )
        audit.record_create(actor, certificate)
        issued.append(certificate)
    return issued


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------
def yearly_statistics(year: int) -> dict:
    """The year's courses and learners (for the statistics page, the home figure and the
    leader reports): courses held (by first session), confirmed learners, certificates, and
    the learners by organization type and by gender. Five queries, whatever the size."""
    from sti.directory.choices import OrganizationKind

    courses = Course.objects.in_year(year).filter(status__in=HELD_STATES)
    learners = Registration.objects.filter(course__in=courses, status=RegistrationStatus.CONFIRMED)
    by_kind = dict(learners.order_by().values_list("organization_kind").annotate(n=Count("pk")))
    by_gender = dict(learners.order_by().values_list("gender").annotate(n=Count("pk")))
    kinds = [(str(label), by_kind.get(value, 0)) for value, label in OrganizationKind.choices]
    kinds.append((_("Không nêu"), by_kind.get("", 0)))
    genders = [(str(label), by_gender.get(value, 0)) for value, label in LearnerGender.choices]
    genders.append((_("Không nêu"), by_gender.get("", 0)))
    return {
        "year": year,
        "courses": courses.count(),
        "learners": learners.count(),
        "certificates": Certificate.objects.filter(
            registration__course__in=courses, revoked_at__isnull=True
        ).count(),
        "by_organization_kind": [(label, n) for label, n in kinds if n],
        "by_gender": [(label, n) for label, n in genders if n],
    }


def years_overview(last: int, count: int = 5) -> list[dict]:
    """Courses and learners of the `count` years up to `last` (the chart), in two queries."""
    first = last - count + 1
    courses = (
        Course.objects.filter(status__in=HELD_STATES, starts_on__year__gte=first)
        .filter(starts_on__year__lte=last)
        .values_list("starts_on__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    learners = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            course__status__in=HELD_STATES,
            course__starts_on__year__gte=first,
            course__starts_on__year__lte=last,
        )
        .values_list("course__starts_on__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    course_counts, learner_counts = dict(courses), dict(learners)
    return [
        {"year": y, "courses": course_counts.get(y, 0), "learners": learner_counts.get(y, 0)}
        for y in range(first, last + 1)
    ]


def learners_this_year(user=None) -> int:
    """The home figure: confirmed learners of this year's courses (one query; public)."""
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        course__status__in=HELD_STATES,
        course__starts_on__year=timezone.localdate().year,
    ).count()
