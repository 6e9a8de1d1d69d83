"""Public pages: lists with filters, profiles, visibility, query counts."""

import unicodedata

import pytest
from django.urls import reverse

from sti.core.testing import EVERYONE, DetailPageTests, ListPageTests
from sti.directory.models import Organization, Researcher

pytestmark = pytest.mark.django_db

ORG_LIST = reverse("directory:organization_list")
PEOPLE_LIST = reverse("directory:researcher_list")


def names(response) -> list[str]:
    return [
        obj.name if isinstance(obj, Organization) else obj.full_name
        for obj in response.context["page"]
    ]


# ---------------------------------------------------------------------------
# Accent-insensitive filters
# ---------------------------------------------------------------------------
def test_organization_q_folds_accents(client, org_a, org_b):
    Organization.objects.create(name="Công ty TNHH Đường Sóc Trăng", kind="enterprise")
    Organization.objects.create(name="Công ty CP Dương Minh", kind="enterprise")

    assert names(client.get(ORG_LIST, {"q": "can tho"})) == ["Trường Đại học Cần Thơ"]
    assert names(client.get(ORG_LIST, {"q": "CẦN THƠ"})) == ["Trường Đại học Cần Thơ"]
    # "duong" finds both Đường and Dương; "đường" (folded the same way) too, in name order.
    assert names(client.get(ORG_LIST, {"q": "duong"})) == [
        "Công ty CP Dương Minh",
        "Công ty TNHH Đường Sóc Trăng",
    ]
    # Abbreviation and words in any order.
    assert names(client.get(ORG_LIST, {"q": "clrri"})) == ["Viện Lúa Đồng bằng sông Cửu Long"]
    assert names(client.get(ORG_LIST, {"q": "long cuu"})) == ["Viện Lúa Đồng bằng sông Cửu Long"]
    nfd = unicodedata.normalize("NFD", "Cần Thơ")
    assert names(client.get(ORG_LIST, {"q": nfd})) == ["Trường Đại học Cần Thơ"]
    assert names(client.get(ORG_LIST, {"q": "hà nội"})) == []


def test_organization_filters_kind_status_field_admin_unit(
    client, org_a, org_b, org_hospital, field
):
    from sti.core.models import AdminUnit

    org_a.fields.set([field("40107")])  # a level-3 field below 4 → 401
    ninh_kieu = AdminUnit.objects.get(version__version="2024", code="916")
    Organization.objects.filter(pk=org_a.pk).update(admin_unit=ninh_kieu)

    assert names(client.get(ORG_LIST, {"kind": "hospital"})) == [org_hospital.name]
    assert names(client.get(ORG_LIST, {"field": "4"})) == [org_a.name]
    assert names(client.get(ORG_LIST, {"field": "401"})) == [org_a.name]
    assert names(client.get(ORG_LIST, {"field": "3"})) == [org_hospital.name]
    city = AdminUnit.objects.get(version__version="2024", code="92")
    # The city includes its districts.
    assert names(client.get(ORG_LIST, {"admin_unit": city.pk})) == [org_a.name]
    Organization.objects.filter(pk=org_b.pk).update(status="dissolved")
    assert names(client.get(ORG_LIST, {"status": "dissolved"})) == [org_b.name]


def test_researcher_filters(client, org_a, org_b, public_researcher, field):
    other = Researcher.objects.create(
        full_name="Nguyễn Văn Đức",
        degree="ThS",
        organization=org_b,
        is_public=True,
        expertise="lúa chịu mặn, chỉ thị phân tử",
        gender="male",
    )
    other.fields.set([field("406")])

    assert names(client.get(PEOPLE_LIST, {"q": "duc"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(PEOPLE_LIST, {"q": "huong"})) == ["Trần Thị Thanh Hương"]
    # Expertise keywords, without accents.
    assert names(client.get(PEOPLE_LIST, {"q": "lua chiu man"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(PEOPLE_LIST, {"q": "ca tra"})) == ["Trần Thị Thanh Hương"]
    assert names(client.get(PEOPLE_LIST, {"organization": org_b.pk})) == ["Nguyễn Văn Đức"]
    assert names(client.get(PEOPLE_LIST, {"organization": "dai hoc can tho"})) == [
        "Trần Thị Thanh Hương"
    ]
    assert names(client.get(PEOPLE_LIST, {"field": "4"})) == [
        "Nguyễn Văn Đức",
        "Trần Thị Thanh Hương",
    ]
    assert names(client.get(PEOPLE_LIST, {"field": "406"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(PEOPLE_LIST, {"degree": "TS"})) == ["Trần Thị Thanh Hương"]
    assert names(client.get(PEOPLE_LIST, {"academic_title": "PGS"})) == ["Trần Thị Thanh Hương"]
    assert names(client.get(PEOPLE_LIST, {"is_expert": "true"})) == ["Trần Thị Thanh Hương"]
    assert names(client.get(PEOPLE_LIST, {"is_expert": "false"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(PEOPLE_LIST, {"gender": "female"})) == ["Trần Thị Thanh Hương"]


def test_list_shows_counts_and_paginates(client, org_a):
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Công ty {i:02d} Cần Thơ",
                kind="enterprise",
                name_folded=f"cong ty {i:02d} can tho",
            )
            for i in range(30)
        ]
    )
    response = client.get(ORG_LIST)
    assert response.status_code == 200
    assert "Tìm thấy 31 tổ chức" in response.content.decode()
    assert len(response.context["page"]) == 25
    second = client.get(ORG_LIST, {"page": 2})
    assert len(second.context["page"]) == 6


# ---------------------------------------------------------------------------
# Profiles and visibility
# ---------------------------------------------------------------------------
def test_organization_detail_shows_form_fields_and_public_researchers(
    client, org_a, public_researcher, hidden_researcher, field
):
    Organization.objects.filter(pk=org_a.pk).update(
        address="Khu II, đường 3/2, Ninh Kiều",
        founding_authority="8.2",
        st_certificate_number="A-123",
        website="https://www.ctu.edu.vn",
    )
    org_a.fields.set([field("405")])
    content = client.get(org_a.get_absolute_url()).content.decode()
    assert "Khu II, đường 3/2, Ninh Kiều" in content
    assert "Chính phủ, Thủ tướng Chính phủ" in content
    assert "A-123" in content
    assert "405 – Thủy sản" in content
    assert public_researcher.full_name in content
    assert hidden_researcher.full_name not in content
    assert "Lịch sử thay đổi" not in content  # history is for editors


def test_researcher_detail(client, client_for, editor, public_researcher):
    Researcher.objects.filter(pk=public_researcher.pk).update(
        phone="0912 345 678", orcid="0000-0002-1825-0097"
    )
    response = client.get(public_researcher.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "PGS.TS. Trần Thị Thanh Hương" in content
    assert "bệnh gan thận mủ" in content
    assert "Trường Đại học Cần Thơ" in content
    assert "https://orcid.org/0000-0002-1825-0097" in content
    # The phone number is for editors and the person, not for every visitor.
    assert "0912 345 678" not in content
    assert (
        "0912 345 678"
        in client_for(editor).get(public_researcher.get_absolute_url()).content.decode()
    )


class TestHiddenResearcher(DetailPageTests, ListPageTests):
    """A hidden profile: editors and the people of its organization see it, listed and on
    its page; for everyone else it is missing from the list and its page is 404."""

    detail_allowed = {"member_a", "reporter_a", "editor", "admin_user"}
    detail_refused = dict.fromkeys(EVERYONE, 404)
    list_url = PEOPLE_LIST

    def detail_object(self, request):
        return request.getfixturevalue("hidden_researcher")

    def detail_texts(self, person):
        return [person.full_name, "sạt lở bờ sông"]

    def listed(self, request, persona):
        public = request.getfixturevalue("public_researcher").full_name
        hidden = request.getfixturevalue("hidden_researcher").full_name
        return [public, hidden] if persona in self.detail_allowed else [public]

    def unlisted(self, request, persona):
        hidden = request.getfixturevalue("hidden_researcher").full_name
        return [] if persona in self.detail_allowed else [hidden]


class TestOrganizationPages(DetailPageTests, ListPageTests):
    """The directory of organizations is public: every persona sees the list and profiles."""

    list_url = ORG_LIST

    def listed(self, request, persona):
        return [request.getfixturevalue("org_a").name, request.getfixturevalue("org_b").name]

    def detail_object(self, request):
        return request.getfixturevalue("org_a")

    def detail_texts(self, organization):
        return [organization.name, organization.abbreviation]


def test_missing_records_are_404(client):
    assert client.get(reverse("directory:organization_detail", args=[9999])).status_code == 404
    assert client.get(reverse("directory:researcher_detail", args=[9999])).status_code == 404
