from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sti.training.choices import CourseStatus
from sti.training.models import Course, CourseSession


def aware(day, hour=8):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def make_course(org_a):
    """`make_course(**fields)`: a course of organization A with `sessions` sessions (two by
    default) starting in ten days, open for registration unless told otherwise."""

    def make(*, sessions=2, start=None, **fields):
        start = start or timezone.localdate() + timedelta(days=10)
        values = {
            "title": "Tập huấn sở hữu trí tuệ cho doanh nghiệp",
            "organizer": org_a,
            "place": "Hội trường Sở KH&CN Cần Thơ",
            "capacity": 2,
            "status": CourseStatus.OPEN,
            **fields,
        }
        course = Course.objects.create(**values)
        for index in range(sessions):
            day = start + timedelta(days=index)
            CourseSession.objects.create(
                course=course,
                starts_at=aware(day, 8),
                ends_at=aware(day, 11),
                topic=f"Buổi {index + 1}",
            )
        course.starts_on = start
        course.ends_on = start + timedelta(days=max(sessions - 1, 0))
        course.save()
        return course

    return make


@pytest.fixture
def course(make_course):
    return make_course()


def public_data(n: int, **extra) -> dict:
    return {
        "full_name": f"Nguyễn Văn Học Viên {n}",
        "email": f"hocvien{n}@vidu.vn",
        "phone": "0909 123 456",
        "organization_name": "HTX Rau an toàn Long Tuyền",
        "organization_kind": "cooperative",
        "gender": "male",
        **extra,
    }
