"""Query-count pins: each list and detail page costs the same at 2 and 20 rows."""

from datetime import date

import pytest

from sti.core.testing import assert_flat_queries
from sti.training import services
from sti.training.choices import CourseStatus
from sti.training.models import Course, CourseSession, Registration
from sti.training.tests.conftest import aware, public_data

pytestmark = pytest.mark.django_db


def test_course_list(client, org_a):
    def add(count):
        start = Course.objects.count()
        made = Course.objects.bulk_create(
            [
                Course(
                    title=f"Lớp tập huấn Cần Thơ số {start + i}",
                    title_folded=f"lop tap huan can tho so {start + i}",
                    organizer=org_a,
                    capacity=30,
                    status=CourseStatus.OPEN,
                    starts_on=date(2026, 5, 1),
                )
                for i in range(count)
            ]
        )
        return [c.title for c in made]

    assert_flat_queries(client, "/dao-tao/", add, at_most=4)


def _learners(course, count):
    start = course.registrations.count()
    made = Registration.objects.bulk_create(
        [
            Registration(course=course, **public_data(start + i), status="confirmed")
            for i in range(count)
        ]
    )
    return [r.full_name for r in made]


def test_course_detail(client, course):
    def add(count):
        first = CourseSession.objects.filter(course=course).count()
        for i in range(count):
            CourseSession.objects.create(
                course=course,
                starts_at=aware(date(2026, 6, 1 + (first + i) % 28), 8),
                ends_at=aware(date(2026, 6, 1 + (first + i) % 28), 11),
                topic=f"Chuyên đề {first + i}",
            )
        _learners(course, count)
        return [f"Chuyên đề {first + i}" for i in range(count)]

    assert_flat_queries(client, course.get_absolute_url(), add, at_most=8)


def test_course_registrations(client_for, course, editor):
    course.capacity = 100
    course.save()
    assert_flat_queries(
        client_for(editor),
        f"/dao-tao/{course.pk}/hoc-vien/",
        lambda n: _learners(course, n),
        at_most=5,
    )


def test_attendance(client_for, course, editor):
    course.capacity = 100
    course.status = CourseStatus.RUNNING
    course.save()
    assert_flat_queries(
        client_for(editor),
        f"/dao-tao/{course.pk}/diem-danh/",
        lambda n: _learners(course, n),
        at_most=7,
    )


def test_my_registrations(client_for, registered, make_course):
    registered.email = "dangky@vidu.vn"
    registered.save()

    def add(count):
        titles = []
        for _ in range(count):
            course = make_course(title=f"Khóa {Course.objects.count() + 1} về VietGAP")
            services.register_user(registered, course)
            titles.append(course.title)
        return titles

    assert_flat_queries(client_for(registered), "/dao-tao/cua-toi/", add, at_most=5)


def test_statistics(client_for, editor, make_course):
    def add(count):
        _learners(make_course(capacity=100), count)
        return []

    assert_flat_queries(client_for(editor), "/dao-tao/thong-ke/", add, at_most=10)


def test_certificate_verify(client, make_course, editor):
    course = make_course(capacity=50, sessions=1)
    holder = {}

    def add(count):
        _learners(course, count)
        return []

    add(1)
    course.status = CourseStatus.RUNNING
    course.save()
    services.record_attendance(
        editor, course, {(r.pk, course.sessions.get().pk) for r in course.registrations.all()}
    )
    course.status = CourseStatus.FINISHED
    course.save()
    holder["code"] = services.issue_certificates(editor, course)[0].code
    assert_flat_queries(client, lambda: f"/dao-tao/chung-nhan/{holder['code']}/", add, at_most=2)
