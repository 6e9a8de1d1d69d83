"""Query-count pins of the portal's pages: the home page, the editor's worklist and the
system status page."""

import pytest
from django.apps import apps

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


# One count per home figure (the IP register added one).
@pytest.mark.parametrize(("persona", "pin"), [(None, 8), ("editor", 10)])
def test_home_page(request, client_for, add_organizations, persona, pin):
    user = request.getfixturevalue(persona) if persona else None
    assert_flat_queries(client_for(user), "/", add_organizations, at_most=pin)


def test_system_status_page(client_for, editor, add_organizations):
    """Rows: indexed records (the page compares the index with the database per type: two
    queries for each registered search type); the tracked jobs' check counts stale, failed
    and active jobs in one query; the harvest sources' check reads the sources in one."""
    from sti.search.registry import all_specs

    pin = 5 + 2 * len(all_specs())  # + 1: the harvest sources' check
    assert_flat_queries(client_for(editor), "/trang-thai-he-thong/", add_organizations, at_most=pin)


def test_worklist(client_for, editor, registered):
    """Rows: deposits waiting for review (each queue counts in one query, whatever waits)."""
    Document = apps.get_model("library", "Document")

    def add(count):
        titles = [f"Báo cáo nộp số {n}: độ mặn sông Hậu" for n in range(count)]
        for title in titles:
            Document.objects.create(
                title=title, source_type="report", status="submitted", submitted_by=registered
            )
        return []

    assert_flat_queries(client_for(editor), "/viec-can-lam/", add, at_most=14)
