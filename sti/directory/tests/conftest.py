"""Fixtures of the directory tests: a few records with Vietnamese names and S&T fields."""

import pytest

from sti.core.models import FieldOfScience
from sti.directory.models import Organization, Researcher


@pytest.fixture
def field(db):
    """`field("405")` → the current FieldOfScience with that code."""
    return lambda code: FieldOfScience.objects.current().get(code=code)


@pytest.fixture
def public_researcher(db, org_a, field):
    person = Researcher.objects.create(
        full_name="Trần Thị Thanh Hương",
        degree="TS",
        academic_title="PGS",
        organization=org_a,
        expertise="cá tra, bệnh gan thận mủ",
        is_public=True,
        is_expert=True,
        gender="female",
    )
    person.fields.set([field("405")])
    return person


@pytest.fixture
def hidden_researcher(db, org_a, field):
    person = Researcher.objects.create(
        full_name="Đặng Hữu Đường",
        degree="ThS",
        organization=org_a,
        expertise="sạt lở bờ sông",
        is_public=False,
        gender="male",
    )
    person.fields.set([field("105")])
    return person


@pytest.fixture
def org_hospital(db, field):
    organization = Organization.objects.create(
        name="Bệnh viện Đa khoa Trung ương Cần Thơ",
        kind="hospital",
        identifier="1800000315",
    )
    organization.fields.set([field("302")])
    return organization
