"""Search visibility of profiles, and the service verbs used by pages, API and imports."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from sti.core.models import AuditEntry
from sti.directory import services
from sti.directory.models import Organization, Researcher
from sti.search import services as search_services
from sti.search.base import SearchQuery

pytestmark = pytest.mark.django_db


def found(user, text) -> set[str]:
    results = search_services.search(
        user, SearchQuery(text=text, filters={"type": ["researcher"]}, limit=50)
    )
    return {hit.title for hit in results.hits}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        (None, False),
        ("registered", False),
        ("reporter_b", False),
        ("reporter_a", True),
        ("editor", True),
    ],
)
def test_hidden_profile_in_search(request, run_on_commit, org_a, editor, persona, visible):
    with run_on_commit():
        services.create_researcher(
            actor=editor,
            data={
                "full_name": "Đặng Hữu Đường",
                "organization": org_a,
                "expertise": "sạt lở bờ sông",
                "is_public": False,
            },
        )
        services.create_researcher(
            actor=editor,
            data={
                "full_name": "Võ Văn Sông",
                "organization": org_a,
                "expertise": "sạt lở bờ sông",
                "is_public": True,
            },
        )
    user = request.getfixturevalue(persona) if persona else None
    titles = found(user, "sat lo")
    assert "Võ Văn Sông" in titles
    assert ("Đặng Hữu Đường" in titles) == visible


def test_publishing_a_profile_reaches_the_index(run_on_commit, editor, org_a):
    with run_on_commit():
        person = services.create_researcher(
            actor=editor, data={"full_name": "Lê Thị Đào", "organization": org_a}
        )
    assert found(None, "dao") == set()
    with run_on_commit():
        services.update_researcher(person, actor=editor, data={"is_public": True})
    assert found(None, "đào") == {"Lê Thị Đào"}


def test_services_store_nfc_and_audit(editor):
    nfd = unicodedata.normalize("NFD", "  Trung tâm Ứng dụng   tiến bộ KH&CN  ")
    organization = services.create_organization(
        actor=editor, data={"name": nfd, "kind": "public_service"}
    )
    assert organization.name == "Trung tâm Ứng dụng tiến bộ KH&CN"
    assert organization.name_folded == "trung tam ung dung tien bo kh&cn"
    services.update_organization(organization, actor=editor, data={"abbreviation": "TTƯD"})
    entry = AuditEntry.objects.get(object_id=str(organization.pk), action="update")
    assert entry.changes == {"abbreviation": ["", "TTƯD"]}
    # An update that changes nothing writes no audit row.
    services.update_organization(organization, actor=editor, data={"abbreviation": "TTƯD"})
    assert AuditEntry.objects.filter(object_id=str(organization.pk)).count() == 2


def test_services_validate_the_model(editor):
    with pytest.raises(ValidationError):
        services.create_organization(actor=editor, data={"name": "Viện X", "kind": "khong-co"})
    with pytest.raises(ValueError):
        services.create_organization(
            actor=editor, data={"name": "Viện X", "kind": "institute", "status": "merged"}
        )
    assert not Organization.objects.exists()


def test_merge_rules(editor, org_a, org_b, org_hospital):
    with pytest.raises(ValidationError):
        services.merge_organization(org_a, into=org_a, actor=editor)
    services.dissolve_organization(org_b, actor=editor)
    with pytest.raises(ValidationError):
        services.merge_organization(org_a, into=org_b, actor=editor)
    with pytest.raises(ValidationError):
        services.dissolve_organization(org_b, actor=editor)
    # A chain of mergers points at the surviving organization.
    services.reactivate_organization(org_b, actor=editor)
    services.merge_organization(org_a, into=org_b, actor=editor)
    services.merge_organization(org_b, into=org_hospital, actor=editor)
    org_a.refresh_from_db()
    assert org_a.merged_into == org_hospital


def test_delete_researcher_is_audited(editor, public_researcher):
    pk = public_researcher.pk
    services.delete_researcher(public_researcher, actor=editor)
    assert not Researcher.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_id=str(pk), object_type="directory.researcher")
    assert (
        entry.action == "delete" and entry.changes["__old__"]["full_name"] == "Trần Thị Thanh Hương"
    )


def test_organization_moves_are_for_editors_and_audited(editor, member_a, reporter_a, org_a, org_b):
    from sti.core.models import AuditEntry
    from sti.core.statemachine import MoveForbidden

    for refused in (member_a, reporter_a):
        with pytest.raises(MoveForbidden):
            services.dissolve_organization(org_a, actor=refused)
    org_a.refresh_from_db()
    assert org_a.status == "active"
    services.merge_organization(org_a, into=org_b, actor=editor)
    org_a.refresh_from_db()
    assert (org_a.status, org_a.merged_into) == ("merged", org_b)
    entry = AuditEntry.objects.filter(action="transition").latest("pk")
    assert entry.changes == {"status": ["active", "merged"]} and org_b.name in entry.note
