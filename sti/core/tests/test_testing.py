"""The test helpers catch what they promise: an N+1 loop fails the query-count pin, a pin
set too low fails, and a refusal is told apart from the login page."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from sti.core.models import AuditEntry
from sti.core.testing import LOGIN, assert_flat_queries, assert_num_queries_at_most, assert_refused

pytestmark = pytest.mark.django_db


def looped(request):
    """An N+1 page: one query for the entries, then one per entry for its actor."""
    names = [str(entry.actor) for entry in AuditEntry.objects.all()]
    return HttpResponse(", ".join(names))


def joined(request):
    names = [str(entry.actor) for entry in AuditEntry.objects.select_related("actor")]
    return HttpResponse(", ".join(names))


urlpatterns = [path("looped/", looped), path("joined/", joined)]


@pytest.fixture
def add_entries(editor):
    def add(count):
        for _ in range(count):
            AuditEntry.objects.create(
                actor=editor, action="update", object_type="x.y", object_id="1"
            )

    return add


@override_settings(ROOT_URLCONF=__name__)
def test_an_n_plus_one_loop_fails_the_pin(client, add_entries):
    with pytest.raises(AssertionError, match="queries at 2 rows"):
        assert_flat_queries(client, "/looped/", add_entries, at_most=100)


@override_settings(ROOT_URLCONF=__name__)
def test_a_flat_page_passes_and_a_low_pin_fails(client, add_entries):
    assert assert_flat_queries(client, "/joined/", add_entries, at_most=1) == (1, 1)
    with pytest.raises(AssertionError, match="pinned at 0"):
        assert_flat_queries(client, "/joined/", add_entries, at_most=0)


def test_assert_refused_tells_login_from_403(client_for, registered):
    anonymous = client_for(None).get("/nhat-ky/")
    assert_refused(anonymous, LOGIN)
    with pytest.raises(AssertionError):
        assert_refused(anonymous, 403)
    assert_refused(client_for(registered).get("/nhat-ky/"), 403)


def test_assert_num_queries_at_most(add_entries):
    add_entries(3)
    with assert_num_queries_at_most(1):
        list(AuditEntry.objects.select_related("actor"))
    with pytest.raises(AssertionError, match="4 queries, pinned at 1"):
        with assert_num_queries_at_most(1):
            [str(entry.actor) for entry in AuditEntry.objects.all()]
