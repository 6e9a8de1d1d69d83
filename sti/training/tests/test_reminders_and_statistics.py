"""Reminders the day before (idempotent, run as periodic work by the worker), the yearly
statistics, the home figure and the sample data."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sti.core import periodic, registries
from sti.training import jobs, services
from sti.training.choices import CourseStatus
from sti.training.models import Certificate, Course, Registration
from sti.training.tests.conftest import public_data

pytestmark = pytest.mark.django_db


def test_reminders_go_once_the_day_before(make_course):
    tomorrow = timezone.localdate() + timedelta(days=1)
    course = make_course(start=tomorrow, capacity=2)
    later = make_course(title="Khóa tuần sau", start=tomorrow + timedelta(days=6))
    for n in range(3):  # two confirmed, one waiting
        services.register_public(course, public_data(n))
    services.register_public(later, public_data(7))
    mail.outbox.clear()
    assert jobs.send_due_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["hocvien0@vidu.vn", "hocvien1@vidu.vn"]
    assert all("ngày mai" in m.subject for m in mail.outbox)
    assert jobs.send_due_reminders() == 0  # idempotent
    assert len(mail.outbox) == 2
    course.status = CourseStatus.CANCELLED
    course.save()
    Registration.objects.update(reminded_at=None)
    assert jobs.send_due_reminders() == 0  # no reminder for a cancelled course


def test_reminders_run_as_periodic_work(make_course):
    work = {w.key: w for w in registries.periodic_work()}["training.reminders"]
    assert work.run is jobs.send_due_reminders
    course = make_course(start=timezone.localdate() + timedelta(days=1))
    services.register_public(course, public_data(1))
    mail.outbox.clear()
    last_runs: dict = {}
    assert "training.reminders" in periodic.run_due(last_runs, now=1000.0)
    assert len(mail.outbox) == 1
    # Not due again before its period.
    assert "training.reminders" not in periodic.run_due(last_runs, now=1001.0)


def test_yearly_statistics(make_course):
    year = 2025
    course = make_course(start=date(year, 3, 10), capacity=3)
    services.register_public(
        course, public_data(1, gender="female", organization_kind="enterprise")
    )
    services.register_public(course, public_data(2, gender="unstated", organization_kind=""))
    services.register_public(course, public_data(3, gender="male", organization_kind="enterprise"))
    services.register_public(course, public_data(4))  # waiting: not a learner
    make_course(title="Nháp", start=date(year, 5, 1), status=CourseStatus.DRAFT)
    make_course(title="Năm khác", start=date(year + 1, 5, 1))
    stats = services.yearly_statistics(year)
    assert stats["courses"] == 1
    assert stats["learners"] == 3
    assert dict(stats["by_gender"]) == {"Nam": 1, "Nữ": 1, "Không muốn nêu": 1}
    assert dict(stats["by_organization_kind"]) == {"Doanh nghiệp": 2, "Không nêu": 1}
    overview = {row["year"]: row for row in services.years_overview(year + 1, count=2)}
    assert overview[year]["learners"] == 3 and overview[year + 1]["courses"] == 1


def test_home_figure_counts_this_years_learners(client, make_course):
    course = make_course(capacity=5)
    course.starts_on = timezone.localdate().replace(month=1, day=2)
    course.save()
    for n in range(3):
        services.register_public(course, public_data(n))
    figure = {f.key: f for f in registries.home_figures()}["learners_this_year"]
    assert figure.count(None) == 3
    assert "học viên các khóa đào tạo năm nay" in client.get("/").content.decode()


def test_sample_data_matches_the_report():
    from sti.directory.sample import load_sample as load_directory
    from sti.training.sample import load_sample

    messages = []
    load_directory(messages.append)
    load_sample(messages.append)
    assert Course.objects.count() == 12
    held = Course.objects.exclude(status=CourseStatus.DRAFT)
    assert held.count() == 11
    learners = Registration.objects.confirmed().count()
    assert learners == 549  # seed 003: 12 courses, 549 learners in three years
    assert Registration.objects.waiting().count() == 4
    assert Certificate.objects.count() > 300
    load_sample(messages.append)  # idempotent
    assert Course.objects.count() == 12
