"""On a phone the filters of every list page fold under a "Bộ lọc" button so the results come
first (Bootstrap's collapse, open from the lg breakpoint up); the button counts the filters
that are set."""

import pytest

pytestmark = pytest.mark.django_db

FOLDED = '<div class="collapse d-lg-block" id="filters">'
TOGGLE = 'data-bs-target="#filters"'


@pytest.mark.parametrize(
    "url",
    ["/danh-ba/to-chuc/", "/danh-ba/nha-khoa-hoc/", "/nhiem-vu/", "/tim-kiem/?q=lua"],
)
def test_filters_fold_under_a_button_on_phones(client, url):
    html = client.get(url).content.decode()
    assert html.count(TOGGLE) == 1
    assert "d-lg-none" in html.split(TOGGLE)[0].rsplit("<button", 1)[1]
    folded = html.index(FOLDED)
    assert html.index(TOGGLE) < folded
    # The filters sit inside the folded block, before the results column.
    assert folded < html.index("<form", folded) < html.index('class="col-lg-9"', folded)


def test_library_filters_fold_too(client):
    html = client.get("/thu-vien/").content.decode()
    assert FOLDED in html
    assert html.index(FOLDED) < html.index('class="col-lg-9"')


@pytest.mark.parametrize(
    ("url", "query", "label"),
    [
        ("/nhiem-vu/", {"group": "da_hoan_thanh", "q": "lua"}, "Bộ lọc (2)"),
        ("/danh-ba/to-chuc/", {"kind": "institute"}, "Bộ lọc (1)"),
        ("/tim-kiem/", {"q": "lua", "type": "task"}, "Bộ lọc (1)"),
    ],
)
def test_the_button_counts_the_filters_set(client, url, query, label):
    html = client.get(url, query).content.decode()
    button = html.split(TOGGLE, 1)[1].split("</button>", 1)[0]
    assert label in " ".join(button.split())
