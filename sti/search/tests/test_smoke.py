import pytest

from sti.search import services
from sti.search.base import SearchQuery


@pytest.mark.django_db
def test_saved_organization_is_found_folded(org_a, run_on_commit):
    from sti.directory.models import Organization

    with run_on_commit():
        Organization.objects.create(
            name="Sở Khoa học và Công nghệ TP. Cần Thơ", kind="state_agency"
        )
    results = services.search(None, SearchQuery(text="can tho"))
    assert any("Cần Thơ" in hit.title for hit in results.hits)
