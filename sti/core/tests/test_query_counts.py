"""Query-count pins of the site-wide pages core serves: the home page, the audit log and
the system status page. Records of domain apps are made through `apps.get_model`, so that
core's tests do not import the apps above it."""

import pytest
from django.apps import apps

from sti.core import audit
from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_organizations(run_on_commit):
    """`add_organizations(n)`: n organizations, each with a public and a hidden researcher."""
    Organization = apps.get_model("directory", "Organization")
    Researcher = apps.get_model("directory", "Researcher")

    def add(count):
        with run_on_commit():
            for _ in range(count):
                n = Organization.objects.count()
                organization = Organization.objects.create(
                    name=f"Viện Cần Thơ {n}", kind="institute"
                )
                Researcher.objects.create(
                    full_name=f"Trần Thị Hương {n}", organization=organization, is_public=True
                )
                Researcher.objects.create(full_name=f"Lê Văn Ẩn {n}", organization=organization)

    return add


@pytest.mark.parametrize(("persona", "pin"), [(None, 5), ("editor", 7)])
def test_home_page(request, client_for, add_organizations, persona, pin):
    user = request.getfixturevalue(persona) if persona else None
    assert_flat_queries(client_for(user), "/", add_organizations, at_most=pin)


def test_audit_log(client_for, editor, org_a):
    def add(count):
        notes = [f"Ghi chú số {i}: đổi địa chỉ" for i in range(count)]
        for note in notes:
            audit.record(editor, "update", org_a, {"address": ["", "Ninh Kiều"]}, note)
        return notes

    assert_flat_queries(client_for(editor), "/nhat-ky/", add, at_most=5)


def test_system_status_page(client_for, editor, add_organizations):
    """Rows: indexed records (the page compares the index with the database per type)."""
    assert_flat_queries(client_for(editor), "/trang-thai-he-thong/", add_organizations, at_most=7)
