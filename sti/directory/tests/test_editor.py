"""Editor pages: each protected action for an allowed role and refused ones."""

import unicodedata

import pytest
from django.urls import reverse

from sti.core.models import AuditEntry
from sti.core.testing import STAFF, CreatePageTests, EditPageTests
from sti.directory.models import Organization, Researcher

pytestmark = pytest.mark.django_db

REFUSED = [("registered", 403), ("reporter_a", 403), (None, 302)]


def _user(request, persona):
    return request.getfixturevalue(persona) if persona else None


def organization_post(**extra):
    data = {
        "name": unicodedata.normalize("NFD", "Viện Kinh tế – Xã hội TP. Cần Thơ"),
        "abbreviation": "",
        "kind": "institute",
        "sector": "state",
        "address": "1 Ngô Hữu Hạnh, Ninh Kiều",
        "founding_authority": "8.7",
        "website": "https://example.vn",
        "founding_decision_date": "2019-05-02",
    }
    data.update(extra)
    return data


class TestOrganizationCreate(CreatePageTests):
    """Editors and administrators create (NFC names, audited); everyone else is refused."""

    model = Organization
    create_url = reverse("directory:organization_create")
    create_allowed = STAFF
    create_expected = {"name": "Viện Kinh tế – Xã hội TP. Cần Thơ", "kind": "institute"}

    def create_data(self, request):
        field = request.getfixturevalue("field")
        return organization_post(fields=[field("502").pk, field("504").pk])

    def check_created(self, organization, user):
        assert unicodedata.is_normalized("NFC", organization.name)
        assert organization.name_folded.startswith("vien kinh te")
        assert sorted(organization.fields.values_list("code", flat=True)) == ["502", "504"]
        entry = AuditEntry.objects.get(
            object_type="directory.organization", object_id=str(organization.pk)
        )
        assert entry.action == "create" and entry.actor == user
        assert entry.changes["__new__"]["fields"] == ["502", "504"]


class TestOrganizationEdit(EditPageTests):
    edit_allowed = STAFF
    edit_expected = {"name": "Trường Đại học Cần Thơ", "address": "1 Ngô Hữu Hạnh, Ninh Kiều"}

    def edit_object(self, request):
        return request.getfixturevalue("org_a")

    def edit_url(self, organization):
        return reverse("directory:organization_edit", args=[organization.pk])

    def edit_data(self, request, organization):
        field = request.getfixturevalue("field")
        return organization_post(
            name="Trường Đại học Cần Thơ",
            abbreviation="ĐHCT",
            kind="university",
            fields=[field("401").pk],
        )

    def check_edited(self, organization, user):
        entry = AuditEntry.objects.get(object_id=str(organization.pk), action="update")
        assert entry.actor == user
        assert entry.changes["address"] == ["", "1 Ngô Hữu Hạnh, Ninh Kiều"]
        assert entry.changes["fields"] == [[], ["401"]]


def test_editor_form_errors_are_shown(client_for, editor, org_hospital):
    client = client_for(editor)
    response = client.post(
        reverse("directory:organization_create"),
        organization_post(kind="", identifier=org_hospital.identifier),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "kind" in errors
    assert "identifier" in errors
    assert Organization.objects.count() == 1


def test_editor_edits_organization_and_sees_history(client_for, editor, org_a, field):
    client = client_for(editor)
    url = reverse("directory:organization_edit", args=[org_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        organization_post(
            name="Trường Đại học Cần Thơ",
            abbreviation="ĐHCT",
            kind="university",
            fields=[field("401").pk],
        ),
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.address == "1 Ngô Hữu Hạnh, Ninh Kiều"
    entry = AuditEntry.objects.get(object_id=str(org_a.pk), action="update")
    assert entry.changes["address"] == ["", "1 Ngô Hữu Hạnh, Ninh Kiều"]
    assert entry.changes["fields"] == [[], ["401"]]
    detail = client.get(org_a.get_absolute_url()).content.decode()
    assert "Lịch sử thay đổi" in detail
    assert "1 Ngô Hữu Hạnh, Ninh Kiều" in detail


def test_delete_organization(client_for, editor, registered, org_a, public_researcher):
    url = reverse("directory:organization_delete", args=[org_a.pk])
    assert client_for(registered).post(url).status_code == 403
    assert Organization.objects.filter(pk=org_a.pk).exists()
    client = client_for(editor)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Organization.objects.filter(pk=org_a.pk).exists()
    public_researcher.refresh_from_db()
    assert public_researcher.organization is None
    assert AuditEntry.objects.filter(object_id=str(org_a.pk), action="delete").exists()


def test_merge_and_dissolve_pages(client_for, editor, reporter_a, org_a, org_b, public_researcher):
    url = reverse("directory:organization_status", args=[org_a.pk])
    assert client_for(reporter_a).post(url, {"action": "dissolve"}).status_code == 403
    client = client_for(editor)
    # Merging needs a target.
    response = client.post(url, {"action": "merge", "note": ""})
    assert response.status_code == 200 and "into" in response.context["form"].errors
    response = client.post(
        url,
        {"action": "merge", "into": org_b.pk, "move_researchers": "on", "note": "QĐ 123/QĐ-UBND"},
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    public_researcher.refresh_from_db()
    assert org_a.status == "merged" and org_a.merged_into == org_b
    assert public_researcher.organization == org_b
    assert (
        "Viện Lúa Đồng bằng sông Cửu Long" in client.get(org_a.get_absolute_url()).content.decode()
    )
    client.post(url, {"action": "reactivate"})
    client.post(url, {"action": "dissolve", "note": "Giải thể theo quyết định"})
    org_a.refresh_from_db()
    assert org_a.status == "dissolved" and org_a.merged_into is None
    entries = AuditEntry.objects.filter(object_id=str(org_a.pk), action="transition")
    assert entries.count() == 3


def researcher_post(organization, **extra):
    data = {
        "full_name": unicodedata.normalize("NFD", "Lê Thị Đào"),
        "gender": "female",
        "birth_year": "1980",
        "ethnicity": "Kinh",
        "degree": "TS",
        "organization": organization.pk,
        "expertise": "tôm thẻ; nuôi siêu thâm canh\nao lót bạt",
        "orcid": "0000-0002-1825-0097",
        "is_public": "on",
    }
    data.update(extra)
    return data


class TestResearcherCreate(CreatePageTests):
    model = Researcher
    create_url = reverse("directory:researcher_create")
    create_allowed = STAFF
    create_expected = {
        "full_name": "Lê Thị Đào",
        "expertise": "tôm thẻ, nuôi siêu thâm canh, ao lót bạt",
        "expertise_folded": "tom the, nuoi sieu tham canh, ao lot bat",
        "is_public": True,
    }

    def create_data(self, request):
        field = request.getfixturevalue("field")
        return researcher_post(request.getfixturevalue("org_a"), fields=[field("405").pk])

    def check_created(self, person, user):
        assert person.organization.name == "Trường Đại học Cần Thơ"
        assert [f.code for f in person.fields.all()] == ["405"]
        entries = AuditEntry.objects.filter(object_type="directory.researcher", action="create")
        assert [entry.actor for entry in entries] == [user]


class TestResearcherEdit(EditPageTests):
    edit_allowed = STAFF
    edit_expected = {"full_name": "Tên khác", "birth_year": 1980}

    def edit_object(self, request):
        return request.getfixturevalue("public_researcher")

    def edit_url(self, person):
        return reverse("directory:researcher_edit", args=[person.pk])

    def edit_data(self, request, person):
        return researcher_post(request.getfixturevalue("org_a"), full_name="Tên khác")


@pytest.mark.parametrize(
    ("extra", "error_field"),
    [
        ({"birth_year": "1850"}, "birth_year"),
        ({"birth_year": "2030"}, "birth_year"),
        ({"orcid": "0000-0002-1825-0098"}, "orcid"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_researcher_form_validation(client_for, editor, org_a, extra, error_field):
    response = client_for(editor).post(
        reverse("directory:researcher_create"), researcher_post(org_a, **extra)
    )
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not Researcher.objects.exists()


@pytest.mark.parametrize(("persona", "status"), REFUSED)
def test_researcher_delete_refused(request, client_for, public_researcher, persona, status):
    client = client_for(_user(request, persona))
    delete = reverse("directory:researcher_delete", args=[public_researcher.pk])
    assert client.post(delete).status_code == status
    public_researcher.refresh_from_db()
    assert public_researcher.full_name == "Trần Thị Thanh Hương"


def test_editor_edits_and_deletes_researcher(client_for, editor, org_a, hidden_researcher):
    client = client_for(editor)
    edit = reverse("directory:researcher_edit", args=[hidden_researcher.pk])
    response = client.post(edit, researcher_post(org_a, full_name="Đặng Hữu Đường", orcid=""))
    assert response.status_code == 302
    hidden_researcher.refresh_from_db()
    assert hidden_researcher.is_public
    history = client.get(hidden_researcher.get_absolute_url()).context["history"]
    assert [entry.action for entry in history] == ["update"]
    assert history[0].changes["is_public"] == [False, True]
    assert (
        client.post(reverse("directory:researcher_delete", args=[hidden_researcher.pk])).status_code
        == 302
    )
    assert not Researcher.objects.exists()
