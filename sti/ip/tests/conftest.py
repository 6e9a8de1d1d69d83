"""Fixtures of the IP register tests: filings of organization A, published or not."""

from datetime import date

import pytest

from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing


@pytest.fixture
def make_filing(db, org_a):
    counter = {"n": 0}

    def make(**extra):
        counter["n"] += 1
        data = {
            "kind": IPKind.TRADEMARK,
            "title": f"Gạo Cờ Đỏ số {counter['n']}",
            "application_number": f"4-2018-{counter['n']:05d}",
            "filed_on": date(2018, 3, 1),
            "applicant_organization": org_a,
            "status": FilingStatus.EXAMINED,
        }
        data.update(extra)
        return Filing.objects.create(**data)

    return make


@pytest.fixture
def unpublished(make_filing):
    """Just filed: seen by organization A's members and the editors only."""
    return make_filing(
        title="Bánh pía Sóc Trăng chưa công bố", status=FilingStatus.FILED, kind=IPKind.DESIGN
    )


@pytest.fixture
def published(make_filing):
    return make_filing(title="Nước mắm Phú Quốc Đặc Biệt", status=FilingStatus.EXAMINED)


@pytest.fixture
def city_level(db):
    from sti.core.models import TaskLevel

    return TaskLevel.objects.get(code="tinh", version__is_current=True)
