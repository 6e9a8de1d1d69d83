"""The editors' queues (new and overdue requests) and the list filters they link to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sti.servicedesk import services, worklist
from sti.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_queues_and_their_list_pages(client_for, make_request, editor, registered):
    new = make_request(subject="Yêu cầu mới chưa giao")
    late = make_request(subject="Yêu cầu đã giao nhưng quá hạn")
    services.assign_request(editor, late, editor)
    overdue_since = timezone.localdate() - timedelta(days=3)
    ServiceRequest.objects.filter(pk=late.pk).update(due_on=overdue_since)
    answered = make_request(subject="Yêu cầu đã trả lời, hạn đã qua")
    services.assign_request(editor, answered, editor)
    services.answer_request(editor, answered, "Đã trả lời")
    ServiceRequest.objects.filter(pk=answered.pk).update(due_on=overdue_since)

    assert worklist.unassigned(editor).count == 1
    assert (worklist.overdue(editor).count, worklist.overdue(editor).since) == (1, overdue_since)
    assert worklist.unassigned(registered).count == 0  # through the access rule

    client = client_for(editor)
    page = client.get("/yeu-cau-dich-vu/", {"status": "received"}).content.decode()
    assert new.subject in page and late.subject not in page
    page = client.get("/yeu-cau-dich-vu/", {"overdue": "true"}).content.decode()
    assert late.subject in page and new.subject not in page and answered.subject not in page
    page = client.get("/yeu-cau-dich-vu/", {"assignee": "none"}).content.decode()
    assert new.subject in page and late.subject not in page
    page = client.get("/yeu-cau-dich-vu/", {"q": late.reference}).content.decode()
    assert late.subject in page and new.subject not in page


def test_worklist_page_lists_the_queues(client_for, make_request, editor):
    make_request()
    content = client_for(editor).get("/viec-can-lam/").content.decode()
    assert "Yêu cầu dịch vụ mới, chưa phân công" in content
    assert "/yeu-cau-dich-vu/?status=received" in content


@pytest.mark.parametrize("bad", [{"status": "xyz"}, {"overdue": "maybe"}, {"page": "999999999999"}])
def test_bad_filters_never_fail(client_for, editor, bad):
    assert client_for(editor).get("/yeu-cau-dich-vu/", bad).status_code == 200
