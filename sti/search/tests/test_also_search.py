"""The search page shows what query expansion adds ("cũng tìm: …"), each a link that
searches that alternative alone; with no expansion it shows nothing."""

import pytest

from sti.core import expansion
from sti.core.expansion import Expansion

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_expander():
    def expand(text):
        return [Expansion("bắp", "ngô", 0.8, "test", "regional")] if "bắp" in text else []

    expansion.register_expander("test-also-search", expand)
    yield
    expansion.unregister_expander("test-also-search")


def test_alternatives_are_shown_as_searches(client, fake_expander):
    response = client.get("/tim-kiem/", {"q": "bắp lai"})
    content = response.content.decode()
    assert "cũng tìm:" in content
    assert 'href="/tim-kiem/?q=ng%C3%B4"' in content


def test_nothing_shown_without_expansions(client, fake_expander):
    response = client.get("/tim-kiem/", {"q": "xyzzy"})
    assert "cũng tìm:" not in response.content.decode()


def test_quoted_and_excluded_words_are_not_expanded(client, fake_expander):
    for text in ('xyzzy "bắp lai"', "xyzzy -bắp"):
        response = client.get("/tim-kiem/", {"q": text})
        assert "cũng tìm:" not in response.content.decode(), text
