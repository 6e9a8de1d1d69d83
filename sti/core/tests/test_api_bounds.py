"""Out-of-range pages and offsets are a 422 with a message, never a 500 (ISSUE 9)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/directory/organizations?page=460000000000000000",
        "/api/directory/researchers?page=460000000000000000",
        "/api/directory/organizations?page=0",
        "/api/directory/organizations?page_size=99999999999",
        "/api/projects/tasks?offset=-1",
        f"/api/projects/tasks?offset={2**63}",
        "/api/projects/tasks?limit=0",
        "/api/projects/tasks?offset=abc",
    ],
)
def test_out_of_range_paging_is_a_422(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_paging_in_range_still_works(client, org_a):
    assert client.get("/api/directory/organizations?page=1").json()["count"] == 1
    assert client.get("/api/directory/organizations?page=10000").status_code == 200
    body = client.get("/api/projects/tasks?offset=0&limit=5").json()
    assert body["offset"] == 0 and body["limit"] == 5


@pytest.mark.parametrize(
    "url",
    [
        "/thu-vien/xuat/csv/?id=99999999999999999999999",
        "/danh-ba/nha-khoa-hoc/?organization=99999999999999999999999",
        "/api/directory/researchers?organization=99999999999999999999999",
        "/oai?verb=ListRecords&resumptionToken=%00zz",
    ],
)
def test_huge_keys_and_control_characters_never_give_a_500(client, url):
    assert client.get(url).status_code < 500


def test_as_pk():
    from sti.core.validators import as_pk

    assert as_pk("42") == 42 and as_pk(" 7 ") == 7
    assert as_pk("0") is None and as_pk("-1") is None and as_pk("1e3") is None
    assert as_pk(str(2**63)) is None and as_pk("9" * 40) is None
