"""Handling a request: each protected action for allowed and refused personas, the state
table, the requester's moves by account and by link, reopening, rating once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sti.core.statemachine import IllegalMove, MoveForbidden
from sti.core.testing import EVERYONE, STAFF, audit_count, persona_user
from sti.servicedesk import lifecycle, services
from sti.servicedesk.choices import RequestStatus as S
from sti.servicedesk.models import InternalNote, LinkedRecord, Message, ServiceRequest

pytestmark = pytest.mark.django_db


ACTIONS = {
    "assign": lambda req, editor: ("phan-cong", {"assignee": editor.pk}),
    "note": lambda req, editor: ("ghi-chu", {"body": "Ghi chú mới"}),
    "move": lambda req, editor: (
        "trang-thai",
        {"target": "rejected", "note": "Ngoài phạm vi", "confirmed": "1"},
    ),
    "answer": lambda req, editor: ("tra-loi", {"answer": "Trả lời"}),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_staff_actions(request, client_for, persona, action, make_request, editor, requester):
    req = make_request(requester)
    if action == "answer":
        services.assign_request(editor, req, editor)
    path, data = ACTIONS[action](req, editor)
    before, audits = ServiceRequest.objects.get(pk=req.pk), audit_count()
    notes = InternalNote.objects.count()
    response = client_for(persona_user(request, persona)).post(
        f"/yeu-cau-dich-vu/{req.pk}/{path}/", data
    )
    after = ServiceRequest.objects.get(pk=req.pk)
    if persona in STAFF:
        assert response.status_code == 302
        assert response["Location"] == req.get_absolute_url()
        assert audit_count() > audits
        if action == "note":
            assert InternalNote.objects.count() == notes + 1
        else:
            assert after.status != before.status
        return
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/")
    else:
        assert response.status_code in (403, 404), response.status_code
    assert after.status == before.status and after.assignee_id == before.assignee_id
    assert InternalNote.objects.count() == notes
    assert audit_count() == audits


def test_the_requester_may_not_act_as_staff(client_for, requester, make_request, editor):
    req = make_request(requester)
    client = client_for(requester)
    for path, data in [ACTIONS[a](req, editor) for a in ACTIONS]:
        assert client.post(f"/yeu-cau-dich-vu/{req.pk}/{path}/", data).status_code == 403
    assert ServiceRequest.objects.get(pk=req.pk).status == S.RECEIVED
    with pytest.raises(PermissionDenied):
        services.add_note(requester, req, "x")


def test_full_path_to_closed(make_request, editor, requester):
    req = make_request(requester)
    services.assign_request(editor, req, editor)
    assert req.status == S.ASSIGNED and req.assigned_at is not None
    services.move_request(editor, req, S.IN_PROGRESS)
    services.move_request(editor, req, S.WAITING, note="Xin số liệu độ mặn.")
    assert Message.objects.filter(request=req, from_requester=False).count() == 1
    services.post_message(requester, req, "Độ mặn 4‰ vào tháng 3.")
    req.refresh_from_db()
    assert req.status == S.IN_PROGRESS  # the reply takes it back into work
    services.answer_request(editor, req, "Quy trình ST25 trên đất mặn: …")
    assert req.status == S.ANSWERED and req.first_answered_at is not None
    services.rate_request(requester, req, 5, "Rất hữu ích")
    req.refresh_from_db()
    assert req.status == S.CLOSED and req.rating == 5 and req.closed_at is not None


def test_illegal_moves_are_refused(make_request, editor):
    req = make_request()
    with pytest.raises(IllegalMove):
        services.move_request(editor, req, S.ANSWERED)  # no assignee, no answer
    with pytest.raises(IllegalMove):
        services.move_request(editor, req, S.REJECTED)  # a reason is needed
    with pytest.raises(IllegalMove):
        services.answer_request(editor, req, "Trả lời")  # from "received": assign first
    services.assign_request(editor, req, editor)
    with pytest.raises(IllegalMove):
        services.answer_request(editor, req, "   ")


def test_assign_only_to_staff(make_request, editor, registered):
    req = make_request()
    with pytest.raises(ValidationError):
        services.assign_request(editor, req, registered)


def test_irreversible_moves_need_the_pages_confirmation(client, client_for, make_request, editor):
    req = make_request()
    url = f"/yeu-cau-dich-vu/theo-doi/{req.tracking_token}/nguoi-yeu-cau/"
    assert client.post(url, {"target": "withdrawn"}).status_code == 302
    staff = client_for(editor).post(
        f"/yeu-cau-dich-vu/{req.pk}/trang-thai/", {"target": "rejected", "note": "Ngoài phạm vi"}
    )
    assert staff.status_code == 302
    req.refresh_from_db()
    assert req.status == S.RECEIVED
    assert "xác nhận" in client.get(req.get_tracking_url()).content.decode()


def test_requester_by_link_withdraws(client, make_request):
    req = make_request()
    url = f"/yeu-cau-dich-vu/theo-doi/{req.tracking_token}/nguoi-yeu-cau/"
    response = client.post(url, {"target": "withdrawn", "confirmed": "1"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.WITHDRAWN


def test_requester_by_link_replies(client, handled, editor):
    services.move_request(editor, handled, S.WAITING, note="Cần ảnh chụp.")
    url = f"/yeu-cau-dich-vu/theo-doi/{handled.tracking_token}/trao-doi/"
    assert client.post(url, {"body": "Ảnh gửi kèm."}).status_code == 302
    handled.refresh_from_db()
    assert handled.status == S.IN_PROGRESS
    assert handled.messages.filter(from_requester=True, body="Ảnh gửi kèm.").exists()


@pytest.mark.parametrize("persona", ["registered", "member_a", "anonymous"])
def test_others_cannot_act_as_the_requester(request, client_for, persona, handled):
    client = client_for(persona_user(request, persona))
    for path, data in [
        ("trao-doi", {"body": "Tin giả"}),
        ("nguoi-yeu-cau", {"target": "withdrawn"}),
        ("danh-gia", {"rating": 1}),
    ]:
        response = client.post(f"/yeu-cau-dich-vu/{handled.pk}/{path}/", data)
        assert response.status_code == 404
    handled.refresh_from_db()
    assert handled.status == S.IN_PROGRESS and handled.rating is None
    assert not handled.messages.exists()
    with pytest.raises(PermissionDenied):
        services.requester_move(persona_user(request, persona), handled, S.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        services.rate_request(None, handled, 5, token="1-forged")


def _answered(editor, req):
    services.answer_request(editor, req, "Thông tin đã tìm được.")
    req.refresh_from_db()
    return req


def test_reopen_within_the_window(handled, editor, requester, settings):
    settings.STI_SERVICEDESK_REOPEN_DAYS = 14
    req = _answered(editor, handled)
    services.requester_move(requester, req, S.IN_PROGRESS, note="Còn thiếu quy trình bón phân.")
    req.refresh_from_db()
    assert req.status == S.IN_PROGRESS and req.reopen_count == 1
    assert req.messages.filter(from_requester=True).exists()


def test_no_reopen_after_the_window(handled, editor, requester, settings):
    settings.STI_SERVICEDESK_REOPEN_DAYS = 14
    req = _answered(editor, handled)
    ServiceRequest.objects.filter(pk=req.pk).update(answered_at=timezone.now() - timedelta(days=15))
    req.refresh_from_db()
    with pytest.raises(IllegalMove) as error:
        services.requester_move(requester, req, S.IN_PROGRESS)
    assert "14 ngày" in str(error.value)


def test_editors_do_not_reopen_for_the_requester(handled, editor):
    req = _answered(editor, handled)
    with pytest.raises(MoveForbidden):
        lifecycle.REQUEST.move(editor, req, S.IN_PROGRESS)


def test_rating_once_only(client, handled, editor):
    req = _answered(editor, handled)
    url = f"/yeu-cau-dich-vu/theo-doi/{req.tracking_token}/danh-gia/"
    assert client.post(url, {"rating": "4", "comment": "Tốt"}).status_code == 302
    req.refresh_from_db()
    assert (req.rating, req.rating_comment, req.status) == (4, "Tốt", S.CLOSED)
    client.post(url, {"rating": "1", "comment": "Đổi ý"})
    req.refresh_from_db()
    assert req.rating == 4
    with pytest.raises(ValidationError):
        services.rate_request(None, req, 2, token=req.tracking_token)
    with pytest.raises(IllegalMove):  # rated: no reopening either
        services.requester_move(None, req, S.IN_PROGRESS, token=req.tracking_token)


def test_rating_needs_an_answer_and_a_valid_value(handled, requester, editor):
    with pytest.raises(ValidationError):
        services.rate_request(requester, handled, 5)
    req = _answered(editor, handled)
    for bad in (0, 6, "năm", None):
        with pytest.raises(ValidationError):
            services.rate_request(requester, req, bad)


def test_links_show_only_what_the_viewer_may_see(client, client_for, handled, editor, org_a):
    from sti.directory.models import Researcher

    public = Researcher.objects.create(
        full_name="Lê Chuyên Gia", organization=org_a, is_expert=True, is_public=True
    )
    services.link_record(editor, handled, "directory.organization", org_a.pk)
    services.link_record(editor, handled, "directory.researcher", public.pk)
    with pytest.raises(ValidationError):
        services.link_record(editor, handled, "directory.organization", org_a.pk)  # twice
    with pytest.raises(ValidationError):
        services.link_record(editor, handled, "accounts.user", editor.pk)  # not linkable
    with pytest.raises(ValidationError):
        services.link_record(editor, handled, "library.document", 987654)  # missing
    req = _answered(editor, handled)
    page = client.get(req.get_tracking_url()).content.decode()
    assert org_a.name in page
    assert "Lê Chuyên Gia" in page
    assert LinkedRecord.objects.filter(request=req).count() == 2
    # a record the viewer may not see is left out
    hidden = Researcher.objects.create(
        full_name="Ẩn Danh Nội Bộ", organization=org_a, is_public=False
    )
    services.link_record(editor, req, "directory.researcher", hidden.pk)
    assert "Ẩn Danh Nội Bộ" not in client.get(req.get_tracking_url()).content.decode()
    assert "Ẩn Danh Nội Bộ" in client_for(editor).get(req.get_absolute_url()).content.decode()


def test_messages_end_with_the_request(handled, editor, requester):
    services.move_request(editor, handled, S.REJECTED, note="Ngoài chức năng của Trung tâm.")
    with pytest.raises(ValidationError):
        services.post_message(requester, handled, "Xin xem lại")
    handled.refresh_from_db()
    assert handled.rejection_reason == "Ngoài chức năng của Trung tâm."


def test_unlisted_persona_list(client_for, member_a, handled):
    assert handled.subject not in client_for(member_a).get("/yeu-cau-dich-vu/").content.decode()


def test_answer_page(client_for, editor, registered, handled):
    url = f"/yeu-cau-dich-vu/{handled.pk}/tra-loi/"
    assert client_for(editor).get(url).status_code == 200
    assert client_for(registered).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
