"""Query-count pins: every list and profile page of the directory asks the database the
same number of times with 2 rows and with 20 (no N+1 loop), and no more than its pin."""

import pytest

from sti.core.models import FieldOfScience
from sti.core.testing import assert_flat_queries
from sti.directory.models import Organization, Researcher

pytestmark = pytest.mark.django_db

ORG_LIST = "/danh-ba/to-chuc/"
PEOPLE_LIST = "/danh-ba/nha-khoa-hoc/"


@pytest.fixture
def add_organizations(field):
    """`add_organizations(n)`: n institutes with two fields and a public researcher each."""
    made = []

    def add(count):
        start = len(made)
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"Viện Đồng Tháp {i:03d}", kind="institute", name_folded=f"vien {i:03d}"
                )
                for i in range(start, start + count)
            ]
        )
        for organization in organizations:
            organization.fields.set([field("401"), field("405")])
            person = Researcher.objects.create(
                full_name=f"Lê Văn Đức {organization.pk}", organization=organization, is_public=True
            )
            person.fields.set([field("406")])
        made.extend(organizations)
        return [organization.name for organization in organizations]

    return add


def test_organization_list(client, add_organizations):
    # Count, rows, their fields, researcher counts: the filter's choices (S&T fields,
    # administrative units) are remembered code lists and cost no query.
    assert_flat_queries(client, ORG_LIST, add_organizations, params={"field": "4"}, at_most=4)


def test_organization_list_filtered_by_admin_unit(client, add_organizations):
    from sti.core.models import AdminUnit

    unit = AdminUnit.objects.filter(version__is_current=True).order_by("code").first()

    def add(count):
        names = add_organizations(count)
        Organization.objects.filter(name__in=names).update(admin_unit=unit)
        return names

    # One more: the chosen unit is read to validate it.
    assert_flat_queries(client, ORG_LIST, add, params={"admin_unit": unit.pk}, at_most=5)


def test_researcher_list(client_for, editor, add_organizations):
    def add(count):
        add_organizations(count)
        return Researcher.objects.order_by("-pk").values_list("full_name", flat=True)[:count]

    assert_flat_queries(client_for(editor), PEOPLE_LIST, add, params={"q": "le van"}, at_most=7)


# +3: its hosted tasks, its documents and its IP filings (`related_sections`, one query each).
@pytest.mark.parametrize(("persona", "pin"), [(None, 8), ("editor", 11)])
def test_organization_profile(request, client_for, org_a, field, persona, pin):
    """Rows: the organization's researchers, its fields and the audit history."""
    from sti.directory import services

    editor = request.getfixturevalue("editor")
    user = request.getfixturevalue(persona) if persona else None

    def add(count):
        names = []
        for i in range(count):
            person = Researcher.objects.create(
                full_name=f"Nguyễn Thị Hương {Researcher.objects.count()}",
                organization=org_a,
                is_public=True,
            )
            names.append(person.full_name)
            services.update_organization(
                org_a, actor=editor, data={"address": f"Số {i} đường 3/2"}, fields=[field("405")]
            )
        return names

    assert_flat_queries(client_for(user), org_a.get_absolute_url(), add, at_most=pin)


# +3: tasks led, tasks joined, documents (`related_sections`, one query each).
@pytest.mark.parametrize(("persona", "pin"), [(None, 6), ("editor", 9)])
def test_researcher_profile(request, client_for, public_researcher, field, persona, pin):
    """Rows: the person's fields and the audit history."""
    from sti.directory import services

    editor = request.getfixturevalue("editor")
    user = request.getfixturevalue(persona) if persona else None
    level_two = list(FieldOfScience.objects.current().level(2).order_by("code")[:25])

    def add(count):
        start = public_researcher.fields.count()
        public_researcher.fields.add(*level_two[start : start + count])
        for i in range(count):
            services.update_researcher(
                public_researcher,
                actor=editor,
                data={"expertise": f"cá tra {i}"},
                fields=list(public_researcher.fields.all()),
            )
        return [f.name for f in level_two[start : start + count]]

    assert_flat_queries(client_for(user), public_researcher.get_absolute_url(), add, at_most=pin)


@pytest.mark.parametrize("url", ["/api/directory/organizations", "/api/directory/researchers"])
def test_api_lists(client, add_organizations, url):
    def add(count):
        add_organizations(count)

    assert_flat_queries(client, url, add, at_most=4)


def test_list_rows_show_their_fields_read_in_one_query(client, add_organizations, field):
    """Each row of the two lists shows its S&T fields (read for the whole page at once)."""
    add_organizations(3)
    organizations = client.get(ORG_LIST).content.decode()
    badges = f'<span class="badge badge-type me-1">{field("401").display}</span>'
    badges += f'<span class="badge badge-type me-1">{field("405").display}</span>'
    assert organizations.count(badges) == 3
    people = client.get(PEOPLE_LIST).content.decode()
    assert people.count(f'<span class="badge badge-type me-1">{field("406").display}</span>') == 3
