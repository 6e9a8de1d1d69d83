"""Who may see and do what with courses, registrations and certificates."""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.training.choices import CourseStatus
from sti.training.models import Certificate, Course, Registration


def get_course_for_user(user, pk) -> Course:
    return get_visible_or_404(Course, user, pk=pk)


def get_registration_for_user(user, pk) -> Registration:
    return get_visible_or_404(Registration, user, pk=pk)


def can_create_course(user) -> bool:
    """Editors, and reporters of an organization (for courses their organization runs)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_editor or user.reporter_organization_ids())
    )


def can_manage_course(user, course: Course) -> bool:
    """Edit the course, see and export its registrations, take attendance, issue
    certificates: editors and the organizer's reporters (a plain member may not)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_editor or user.is_reporter_for(course.organizer_id))
    )


def can_cancel_registration(user, registration: Registration) -> bool:
    """The registrant (signed in) or whoever manages the course."""
    return bool(
        user is not None
        and user.is_authenticated
        and (
            (registration.user_id is not None and registration.user_id == user.pk)
            or can_manage_course(user, registration.course)
        )
    )


def can_see_statistics(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_editor)


def accepts_registrations(course: Course) -> bool:
    return course.status == CourseStatus.OPEN


def get_certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification code names, or None (forged, mistyped or revoked
    codes look the same). Anyone holding the code may verify it: it is the secret."""
    if not code or len(code) > 40:
        return None
    return Certificate.objects.by_code(code).filter(revoked_at__isnull=True).first()
