"""Query pins of the register's list and detail pages (flat in the number of rows)."""

from datetime import date

from sti.core.testing import assert_flat_queries
from sti.ip.choices import FilingStatus


def test_list_page(client_for, member_a, make_filing):
    def add(n):
        return [make_filing(status=FilingStatus.FILED).title for _ in range(n)]

    assert_flat_queries(client_for(member_a), "/so-huu-tri-tue/", add, at_most=5)


def test_detail_page(client_for, reporter_a, make_filing, org_a, city_level):
    from sti.projects.models import Task

    task = Task.objects.create(
        code="ĐT-Q",
        title="Nhiệm vụ",
        host=org_a,
        level=city_level,
        planned_start=date(2023, 1, 1),
        planned_end=date(2024, 12, 31),
    )
    filing = make_filing(task=task)

    def add(n):
        return None  # a filing's page shows one filing

    assert_flat_queries(client_for(reporter_a), filing.get_absolute_url(), add, at_most=6)
