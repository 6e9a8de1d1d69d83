"""One bad record never empties the index: it is skipped, logged and listed; a rebuild is
one commit per type, so searches answer from the old documents until it is done and a failed
rebuild leaves them in place."""

import pytest
from django.core.management import call_command

from sti.directory.models import Organization
from sti.search import services
from sti.search.base import SearchDocument, SearchQuery
from sti.search.models import IndexFailure
from sti.search.registry import get_spec

pytestmark = pytest.mark.django_db


def titles(text=""):
    query = SearchQuery(text=text, filters={"type": ["organization"]}, limit=100)
    return sorted(hit.title for hit in services.search(None, query).hits)


@pytest.fixture
def organizations(db):
    names = ["Viện Lúa Đồng bằng sông Cửu Long", "Trường Đại học Cần Thơ", "Công ty Đường mía"]
    created = [Organization.objects.create(name=name, kind="institute") for name in names]
    services.reindex(["organization"])
    return created


@pytest.fixture
def breaks_on_sugar(monkeypatch):
    """The organization spec raises for one record, as a bad value would."""
    spec = get_spec("organization")
    original = spec.to_document

    def to_document(org):
        if "Đường" in org.name:
            raise ValueError("year 20244 is out of range")
        return original(org)

    monkeypatch.setattr(spec, "to_document", to_document)


def test_a_record_that_fails_is_skipped_and_listed(organizations, breaks_on_sugar):
    written = services.reindex(["organization"])
    assert written == 2
    assert titles() == ["Trường Đại học Cần Thơ", "Viện Lúa Đồng bằng sông Cửu Long"]
    failure = IndexFailure.objects.get()
    assert failure.type == "organization" and failure.pk_value == str(organizations[2].pk)
    assert "20244" in failure.error
    assert [f.pk_value for f in services.index_failures()["organization"]] == [failure.pk_value]


def test_saving_the_bad_record_again_fails_alone_and_a_fix_clears_it(
    organizations, breaks_on_sugar, run_on_commit
):
    sugar = organizations[2]
    with run_on_commit():
        sugar.address = "Phụng Hiệp"
        sugar.save()
    assert IndexFailure.objects.filter(pk_value=str(sugar.pk)).exists()
    assert len(titles()) == 2  # the others are untouched, the bad one left the index
    with run_on_commit():
        sugar.name = "Công ty Mía Phụng Hiệp"
        sugar.save()
    assert not IndexFailure.objects.exists()
    assert "Công ty Mía Phụng Hiệp" in titles()


def test_reindex_command_goes_on_past_a_bad_record(organizations, breaks_on_sugar, capsys):
    call_command("reindex", "organization", "--no-progress")
    assert len(titles()) == 2


def test_searches_answer_from_the_old_documents_during_a_rebuild(organizations):
    backend = services.get_backend()
    with backend.bulk_loader(replace="organization") as add:
        add(SearchDocument(type="organization", pk="999", title="Hợp tác xã Thới Lai"))
        # Not committed yet: the three old records still answer, the new one is not there.
        assert len(titles()) == 3 and titles("thoi lai") == []
    assert titles() == ["Hợp tác xã Thới Lai"]


def test_a_failed_rebuild_leaves_the_old_index_in_place(organizations):
    backend = services.get_backend()
    with pytest.raises(RuntimeError), backend.bulk_loader(replace="organization") as add:
        add(SearchDocument(type="organization", pk="999", title="Hợp tác xã Thới Lai"))
        raise RuntimeError("the database went away")
    assert len(titles()) == 3
