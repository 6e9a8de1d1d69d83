"""Query pins: "Thông báo của tôi" and the private feeds do not grow with their rows."""

import itertools

import pytest

from sti.alerts import services
from sti.alerts.models import SavedSearch
from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def test_my_alerts_page(client, registered, org_b):
    client.force_login(registered)

    def add(count):
        names = []
        for _ in range(count):
            number = next(_n)
            saved = services.save_search(
                registered, name=f"Tìm kiếm số {number}", query="lúa", filters={"field": ["401"]}
            )
            follow, _created = services.follow(registered, "field", f"{100 + number}")
            names += [saved.name, follow.name]
        services.follow(registered, "organization", str(org_b.pk))
        return names

    assert_flat_queries(client, "/thong-bao/", add, at_most=6)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_private_feed(kind, client, registered, make_library_document, run_on_commit):
    saved = SavedSearch.objects.create(user=registered, name="Lúa", query="lua chiu man")
    token = services.feed_token_for(registered).token

    def add(count):
        with run_on_commit():
            made = [
                make_library_document(f"Lúa chịu mặn, báo cáo số {next(_n)}") for _ in range(count)
            ]
        return [record.title for record in made]

    assert_flat_queries(client, f"/thong-bao/nguon-tin/{token}/{saved.pk}/{kind}/", add, at_most=3)
