"""Query-count pins of the service desk's list and detail pages (flat in their rows)."""

from __future__ import annotations

import itertools

import pytest

from sti.core.testing import assert_flat_queries
from sti.servicedesk import services
from sti.servicedesk.models import Message
from sti.servicedesk.tests.conftest import intake_data

pytestmark = pytest.mark.django_db
_counter = itertools.count(1)


def _add_requests(actor):
    def add(count):
        made = [
            services.submit_request(
                actor, intake_data(subject=f"Yêu cầu tìm tin số {next(_counter)}")
            )
            for _ in range(count)
        ]
        return [r.subject for r in made]

    return add


def test_request_list_for_editors(client_for, editor):
    assert_flat_queries(client_for(editor), "/yeu-cau-dich-vu/", _add_requests(None), at_most=5)


def test_request_list_for_the_requester(client_for, requester):
    assert_flat_queries(
        client_for(requester), "/yeu-cau-dich-vu/", _add_requests(requester), at_most=5
    )


def _add_exchange(req, editor, org):
    from sti.directory.models import Organization

    def add(count):
        texts = []
        for _ in range(count):
            n = next(_counter)
            Message.objects.create(request=req, author=editor, body=f"Trao đổi số {n}")
            services.add_note(editor, req, f"Ghi chú số {n}")
            other = Organization.objects.create(name=f"HTX Cần Thơ số {n}", kind="enterprise")
            services.link_record(editor, req, "directory.organization", other.pk)
            texts += [f"Trao đổi số {n}", f"HTX Cần Thơ số {n}"]
        return texts

    return add


def test_request_page_for_editors(client_for, editor, handled, org_a):
    assert_flat_queries(
        client_for(editor),
        handled.get_absolute_url(),
        _add_exchange(handled, editor, org_a),
        at_most=13,
    )


def test_tracking_page(client, editor, handled, org_a):
    services.answer_request(editor, handled, "Trả lời")
    assert_flat_queries(
        client, handled.get_tracking_url(), _add_exchange(handled, editor, org_a), at_most=7
    )


def test_statistics_page(client_for, editor):
    assert_flat_queries(
        client_for(editor),
        "/yeu-cau-dich-vu/thong-ke/",
        lambda n: _add_requests(None)(n) and None,
        at_most=5,
    )
