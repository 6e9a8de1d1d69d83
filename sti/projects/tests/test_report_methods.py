"""The named report methods sti.analytics reads answer several periods in one grouped query
(sti.core.reports.per_period): a dashboard's total and each year of its trend together."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sti.directory.models import Organization
from sti.projects.choices import TaskStatus
from sti.projects.models import Task

YEARS = [(date(y, 1, 1), date(y, 12, 31)) for y in (2022, 2023, 2024, 2025)]
WHOLE = (date(2022, 1, 1), date(2025, 12, 31))


def test_a_task_counts_in_each_year_it_runs_and_once_over_the_whole(
    make_task, org_a, django_assert_num_queries
):
    make_task(planned_start=date(2023, 3, 1), planned_end=date(2024, 6, 30), total_budget=100)
    make_task(planned_start=date(2025, 1, 1), planned_end=date(2026, 12, 31), level=None)
    make_task(status=TaskStatus.PROPOSED, planned_start=date(2024, 1, 1))  # not contracted
    with django_assert_num_queries(1):
        whole, *years = Task.objects.report_by_level([WHOLE, *YEARS])
    assert whole == {"tinh": 1, "": 1}
    assert years == [{}, {"tinh": 1}, {"tinh": 1}, {"": 1}]
    with django_assert_num_queries(1):
        started = Task.objects.report_started_by_level([WHOLE, *YEARS])
    assert started == [{"tinh": 1, "": 1}, {}, {"tinh": 1}, {}, {"": 1}]
    budgets = Task.objects.report_budget([WHOLE, *YEARS])
    assert [b["total"] for b in budgets] == [Decimal(100), 0, Decimal(100), 0, 0]


def test_an_area_narrows_every_period(make_task, org_a):
    other = Organization.objects.create(name="Viện Lúa Đồng bằng sông Cửu Long", kind="institute")
    make_task(planned_start=date(2024, 2, 1))
    make_task(planned_start=date(2024, 5, 1), host=other)
    area = Organization.objects.filter(pk=other.pk)
    assert Task.objects.report_by_status([WHOLE, YEARS[2]], area) == [
        {TaskStatus.IN_PROGRESS: 1},
        {TaskStatus.IN_PROGRESS: 1},
    ]
    assert Task.objects.report_by_status([], area) == []
