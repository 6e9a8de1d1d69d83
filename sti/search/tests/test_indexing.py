"""The index follows the database: after each commit (through the index task), and in full
with `sti reindex`."""

import pytest
from django.core.management import call_command

from sti.search import services
from sti.search.base import SearchDocument, SearchQuery


def found(text, user=None, **options):
    return [
        (hit.type, hit.title)
        for hit in services.search(user, SearchQuery(text=text, **options)).hits
    ]


@pytest.fixture
def field(db):
    from sti.core.models import FieldOfScience

    return FieldOfScience.objects.current().filter(level=3).order_by("code").first()


def test_save_indexes_after_commit_only(db, django_capture_on_commit_callbacks):
    from sti.directory.models import Organization

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Organization.objects.create(
            name="Trung tâm Ứng dụng Tiến bộ KH&CN Cần Thơ", kind="public_service"
        )
    # Nothing reaches the index before the transaction commits.
    assert found("can tho") == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert found("can tho") == [("organization", "Trung tâm Ứng dụng Tiến bộ KH&CN Cần Thơ")]


def test_update_and_delete_follow_the_database(db, run_on_commit):
    from sti.directory.models import Organization

    with run_on_commit():
        org = Organization.objects.create(name="Viện Lúa Đồng bằng", kind="institute")
    with run_on_commit():
        org.name = "Viện Đường mía"
        org.save()
    assert found("lua") == []
    assert found("duong mia") == [("organization", "Viện Đường mía")]
    with run_on_commit():
        org.delete()
    assert found("duong mia") == []
    assert services.get_backend().count("organization") == 0


def test_many_to_many_change_reindexes(db, run_on_commit, field):
    from sti.directory.models import Organization

    with run_on_commit():
        org = Organization.objects.create(name="Công ty Thủy sản Sóc Trăng", kind="enterprise")
    assert found("thuy san", filters={"field": [field.code]}) == []
    with run_on_commit():
        org.fields.add(field)
    assert found("thuy san", filters={"field": [field.code]}) == [("organization", org.name)]
    with run_on_commit():
        org.fields.clear()
    assert found("thuy san", filters={"field": [field.code]}) == []
    # From the other side of the relation.
    with run_on_commit():
        field.organization_set.add(org)
    assert found("thuy san", filters={"field": [field.code]}) == [("organization", org.name)]
    with run_on_commit():
        field.organization_set.clear()
    assert found("thuy san", filters={"field": [field.code]}) == []


def test_dependency_change_reindexes_dependants(db, run_on_commit):
    from sti.directory.models import Organization, Researcher

    with run_on_commit():
        org = Organization.objects.create(name="Viện Nghiên cứu Tôm", kind="institute")
        Researcher.objects.create(full_name="Võ Văn Kiệt", is_public=True, organization=org)
    assert found("kiet tom") == [("researcher", "Võ Văn Kiệt")]
    with run_on_commit():
        org.name = "Viện Nghiên cứu Cá tra"
        org.save()
    assert found("kiet tom") == []
    # Two words are both required (a third would let the organization in on two of three).
    assert found("kiet tra") == [("researcher", "Võ Văn Kiệt")]


def test_hiding_a_profile_removes_it_from_public_search(db, run_on_commit):
    from sti.directory.models import Researcher

    with run_on_commit():
        person = Researcher.objects.create(full_name="Đặng Thị Đào", is_public=True)
    assert found("dang thi dao") == [("researcher", "Đặng Thị Đào")]
    with run_on_commit():
        person.is_public = False
        person.save()
    assert found("dang thi dao") == []


def test_reindex_command_rebuilds_from_the_database(
    db, django_capture_on_commit_callbacks, field, capsys
):
    from sti.directory.models import Organization, Researcher

    # Records written without their index tasks (as after restoring a backup).
    with django_capture_on_commit_callbacks(execute=False):
        org = Organization.objects.create(name="Trường Đại học Cần Thơ", kind="university")
        org.fields.add(field)
        Researcher.objects.create(full_name="Nguyễn Thị Đường", is_public=True, organization=org)
        Researcher.objects.create(full_name="Lâm Văn Ẩn", is_public=False)
    backend = services.get_backend()
    # A stale record that the database no longer has.
    backend.index(
        [SearchDocument(type="organization", pk="999999", title="Tổ chức đã xóa Cần Thơ")]
    )
    assert found("can tho") == [("organization", "Tổ chức đã xóa Cần Thơ")]

    call_command("reindex", "--no-progress")

    assert "3" in capsys.readouterr().out
    assert found("can tho", filters={"field": [field.code]}) == [
        ("organization", "Trường Đại học Cần Thơ")
    ]
    assert ("organization", "Tổ chức đã xóa Cần Thơ") not in found("can tho")
    assert found("duong") == [("researcher", "Nguyễn Thị Đường")]
    assert found("lam van an") == []
    assert backend.count("researcher") == 2
    assert backend.count("organization") == 1


def test_reindex_one_type_leaves_the_others(db, run_on_commit):
    from sti.directory.models import Organization, Researcher

    with run_on_commit():
        Organization.objects.create(name="Hợp tác xã Bưởi Năm Roi", kind="cooperative")
        Researcher.objects.create(full_name="Bùi Bưởi", is_public=True)
    call_command("reindex", "researcher", "--no-progress")
    assert sorted(found("buoi")) == [
        ("organization", "Hợp tác xã Bưởi Năm Roi"),
        ("researcher", "Bùi Bưởi"),
    ]


def test_reindex_rejects_unknown_types(db, capsys):
    call_command("reindex", "nonsense", "--no-progress")
    assert "nonsense" in capsys.readouterr().err


def test_tags_another_app_adds_are_indexed_one_call_per_batch(db, monkeypatch):
    """`register_tags`: an app tags another app's documents (the union catalogue's partners on
    the center's documents) by record and by batch, on both indexing paths."""
    from sti.directory.models import Organization
    from sti.search import jobs, registry

    orgs = [
        Organization.objects.create(name=f"Viện Nông nghiệp số {i}", kind="institute")
        for i in range(5)
    ]
    calls = []

    def tags_of(pks):
        calls.append(list(pks))
        return {pk: [("partner", "an-giang")] for pk in pks if int(pk) % 2 == 0}

    monkeypatch.setattr(registry, "_tag_sources", {})
    registry.register_tags("organization", tags_of)
    tagged = sorted(f"Viện Nông nghiệp số {i}" for i, o in enumerate(orgs) if o.pk % 2 == 0)

    def filtered():
        query = SearchQuery(text="nong nghiep", filters={"partner": ["an-giang"]})
        return sorted(hit.title for hit in services.search(None, query).hits)

    jobs.index_records("organization", [o.pk for o in orgs])
    assert len(calls) == 1 and filtered() == tagged
    calls.clear()
    jobs.reindex(types=["organization"], chunk_size=2)  # batches of two: three calls
    assert [len(pks) for pks in calls] == [2, 2, 1] and filtered() == tagged
