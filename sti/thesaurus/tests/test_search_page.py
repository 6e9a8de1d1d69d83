"""The thesaurus, through the shared registry, on the search page."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_page_offers_the_thesaurus_alternatives(client):
    content = client.get("/tim-kiem/", {"q": "dau phong ĐBSCL"}).content.decode()
    assert "cũng tìm:" in content
    assert 'href="/tim-kiem/?q=l%E1%BA%A1c"' in content  # lạc
    assert "đồng bằng sông Cửu Long" in content
