"""Query-count pin of the global search page: the hits of every type are loaded without an
N+1 loop. Records are made through `apps.get_model` (search sits below the domain apps)."""

import pytest
from django.apps import apps

from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_records(run_on_commit):
    """`add_records(n)`: n organizations and n public researchers named "Cần Thơ", indexed."""
    Organization = apps.get_model("directory", "Organization")
    Researcher = apps.get_model("directory", "Researcher")

    def add(count):
        names = []
        with run_on_commit():
            for _ in range(count):
                n = Organization.objects.count()
                organization = Organization.objects.create(
                    name=f"Viện Cần Thơ số {n}", kind="institute"
                )
                Researcher.objects.create(
                    full_name=f"Trần Thị Cần Thơ {n}", organization=organization, is_public=True
                )
                names.append(organization.name)
        return names

    return add


# With a query, +1 per type shown: the hits' texts for their snippets (the index stores none).
@pytest.mark.parametrize(("persona", "pin"), [(None, 2), ("editor", 4)])
@pytest.mark.parametrize(
    "params", [{"type": "organization"}, {"q": "can tho"}, {"q": "Cần Thơ", "type": "researcher"}]
)
def test_search_page(request, client_for, add_records, persona, pin, params):
    user = request.getfixturevalue(persona) if persona else None

    def add(count):  # with a query the names come highlighted (<mark>), so not checked
        names = add_records(count)
        return None if "q" in params else names

    assert_flat_queries(client_for(user), "/tim-kiem/", add, params=params, at_most=pin)
