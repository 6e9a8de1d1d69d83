"""What the registry adds to every document: the moment it was listed (for "new since"
searches) and the organization it belongs to (so any record can be followed by it)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sti.directory.models import Researcher
from sti.library import services as library
from sti.library.choices import DocumentStatus
from sti.search import services
from sti.search.base import SearchQuery
from sti.search.registry import get_spec

pytestmark = pytest.mark.django_db
BASE = {"source_type": "report", "year": 2025, "language": "vie"}


def test_listing_moment_is_publication_else_creation(editor, org_a):
    published = library.create_document(editor, {**BASE, "title": "Báo cáo lúa"})
    draft = library.create_document(
        editor, {**BASE, "title": "Bản nháp lúa"}, status=DocumentStatus.DRAFT
    )
    spec = get_spec("document")
    assert spec.document_for(published).created == published.published_at
    assert spec.document_for(draft).created == draft.created_at
    person = Researcher.objects.create(full_name="Trần Văn Lúa", organization=org_a)
    assert get_spec("researcher").document_for(person).created == person.created_at


def test_organization_tag_comes_from_the_access_rule(org_a, org_b):
    member = Researcher.objects.create(full_name="Lê Thị Tổ Chức", organization=org_a)
    loner = Researcher.objects.create(full_name="Lê Văn Tự Do")
    assert ("organization", str(org_a.pk)) in get_spec("researcher").document_for(member).tags
    assert not any(n == "organization" for n, _ in get_spec("researcher").document_for(loner).tags)
    # An organization's own record has no owner grant: no tag.
    assert not any(
        n == "organization" for n, _ in get_spec("organization").document_for(org_b).tags
    )


def test_created_window_through_the_search_service(editor, registered, run_on_commit):
    before = timezone.now()
    with run_on_commit():
        library.create_document(editor, {**BASE, "title": "Tài liệu lúa mới"})
        library.create_document(
            editor,
            {
                **BASE,
                "title": "Tài liệu lúa còn cấm",
                "access": "embargoed",
                "embargo_until": date.today() + timedelta(days=30),
            },
        )
    after = timezone.now()

    def titles(user, **window):
        query = SearchQuery(text="lua", **window)
        return sorted(hit.title for hit in services.search(user, query).hits)

    assert titles(registered, created_after=before, created_until=after) == ["Tài liệu lúa mới"]
    assert titles(editor, created_after=before, created_until=after) == [
        "Tài liệu lúa còn cấm",
        "Tài liệu lúa mới",
    ]
    assert titles(registered, created_after=after) == []
