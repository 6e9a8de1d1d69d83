"""`record_url` gives what `reverse()` gives, from a pattern reversed once."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from sti.core.links import record_url

NAMES = [
    "projects:task_detail",
    "library:document",
    "directory:organization_detail",
    "news:article_detail",
    "servicedesk:request_detail",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 7301999137, 10**12])
def test_same_as_reverse(name, pk):
    assert record_url(name, pk) == reverse(name, args=[pk])


def test_follows_the_script_prefix():
    root = record_url("projects:task_detail", 5)
    set_script_prefix("/kh-cn/")
    try:
        assert record_url("projects:task_detail", 5) == "/kh-cn" + root
        assert record_url("projects:task_detail", 5) == reverse("projects:task_detail", args=[5])
    finally:
        set_script_prefix("/")
    assert record_url("projects:task_detail", 5) == root


def test_other_keys_go_through_reverse():
    assert record_url("library:collection", "sach-quy") == reverse(
        "library:collection", args=["sach-quy"]
    )
    with pytest.raises(NoReverseMatch):
        record_url("projects:task_detail", "không-phải-số")
