"""Who sees a request: editors and the signed-in requester by account; the holder of the
private link by token. Plain members, other users and anonymous visitors see nothing, and
internal notes never reach the requester (page, API, e-mail)."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from sti.core.testing import EVERYONE, STAFF, DetailPageTests, ListPageTests, persona_user
from sti.servicedesk import services
from sti.servicedesk.models import ServiceRequest
from sti.servicedesk.tests.conftest import NOTE_SECRET, intake_data

pytestmark = pytest.mark.django_db


class TestRequestPage(DetailPageTests, ListPageTests):
    """A request of another user (the `requester` fixture): only staff see it."""

    detail_allowed = STAFF
    detail_refused = {p: 404 for p in EVERYONE - STAFF}
    list_url = "/yeu-cau-dich-vu/"
    list_allowed = EVERYONE - {"anonymous"}

    def detail_object(self, request):
        if not hasattr(self, "_obj"):
            self._obj = services.submit_request(
                request.getfixturevalue("requester"),
                intake_data(subject="Đăng ký nhãn hiệu gạo Cờ Đỏ"),
            )
        return self._obj

    def detail_texts(self, obj):
        return [obj.reference, obj.subject]

    def listed(self, request, persona):
        return [self.detail_object(request).subject] if persona in STAFF else []

    def unlisted(self, request, persona):
        return [] if persona in STAFF else [self.detail_object(request).subject]


def test_the_requester_sees_their_own_request(client_for, requester, make_request):
    req = make_request(requester)
    client = client_for(requester)
    assert client.get(req.get_absolute_url()).status_code == 200
    assert req.subject in client.get("/yeu-cau-dich-vu/").content.decode()


@pytest.mark.parametrize("persona", ["registered", "member_a", "reporter_a", "editor"])
def test_visible_to_follows_the_rule(request, persona, requester, make_request):
    req = make_request(requester)
    user = persona_user(request, persona)
    visible = ServiceRequest.objects.visible_to(user).filter(pk=req.pk).exists()
    assert visible == (persona == "editor")
    assert ServiceRequest.objects.visible_to(requester).filter(pk=req.pk).exists()
    assert not ServiceRequest.objects.visible_to(None).exists()


def test_tracking_link_opens_the_public_part_to_anyone_holding_it(client, handled):
    response = client.get(handled.get_tracking_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert handled.subject in content
    assert NOTE_SECRET not in content
    assert "Ghi chú nội bộ" not in content
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # wrong MAC
        lambda t: "9999-" + t.partition("-")[2],  # MAC of another id
        lambda t: t.partition("-")[2],  # no id
        lambda t: "1-abc",
        lambda t: "99999999999999999999999-x",  # id past any integer column
    ],
)
def test_a_wrong_token_is_refused(client, handled, mangle):
    token = mangle(handled.tracking_token)
    assert client.get(f"/yeu-cau-dich-vu/theo-doi/{token}/").status_code == 404
    assert client.get(f"/api/servicedesk/track/{token}").status_code == 404


def test_token_of_one_request_does_not_open_another(client, make_request):
    a, b = make_request(), make_request()
    forged = f"{b.pk}-{a.tracking_token.partition('-')[2]}"
    assert client.get(f"/yeu-cau-dich-vu/theo-doi/{forged}/").status_code == 404


def test_internal_notes_never_reach_the_requester(client_for, client, handled, requester, editor):
    # the requester's page and the tracking page
    for c, url in [
        (client_for(requester), handled.get_absolute_url()),
        (client, handled.get_tracking_url()),
        (client_for(editor), handled.get_tracking_url()),  # staff on the requester's view
    ]:
        assert NOTE_SECRET not in c.get(url).content.decode(), url
    # the API, for the link holder and for the signed-in requester
    track = client.get(f"/api/servicedesk/track/{handled.tracking_token}")
    assert track.status_code == 200 and NOTE_SECRET not in track.content.decode()
    own = client_for(requester).get(f"/api/servicedesk/requests/{handled.pk}")
    assert own.status_code == 200
    assert NOTE_SECRET not in own.content.decode()
    assert json.loads(own.content)["internal_notes"] is None
    # the editor does read them
    staff = client_for(editor).get(f"/api/servicedesk/requests/{handled.pk}").json()
    assert [n["body"] for n in staff["internal_notes"]] == [NOTE_SECRET]
    assert NOTE_SECRET in client_for(editor).get(handled.get_absolute_url()).content.decode()


def test_emails_never_carry_internal_notes(handled, editor, run_on_commit):
    mail.outbox.clear()
    with run_on_commit():
        services.post_message(editor, handled, "Xin gửi thêm ảnh mẫu đất.")
    with run_on_commit():
        services.move_request(editor, handled, "waiting", note="Cần số liệu độ mặn.")
    with run_on_commit():
        services.post_message(None, handled, "Độ mặn 4‰.", token=handled.tracking_token)
    with run_on_commit():
        services.answer_request(editor, handled, "Tài liệu kỹ thuật ST25 gửi kèm.")
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert NOTE_SECRET not in message.body
        assert NOTE_SECRET not in message.subject
        assert handled.tracking_token in message.body


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_downloads_follow_the_request_access(
    request, client_for, client, requester, member_a, media_root, storage
):
    from sti.servicedesk.tests.conftest import pdf_bytes, upload

    if storage == "s3":
        request.getfixturevalue("s3_storage")
    content = pdf_bytes()
    files = [upload("mau-dat.pdf", content, "application/pdf")]
    req = services.submit_request(requester, intake_data(), files=files)
    attachment = req.attachments.get()
    own = client_for(requester).get(f"/yeu-cau-dich-vu/{req.pk}/tep/{attachment.pk}/")
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == content
    assert own["Content-Disposition"].startswith("attachment;")
    part = client_for(requester).get(
        f"/yeu-cau-dich-vu/{req.pk}/tep/{attachment.pk}/", HTTP_RANGE="bytes=0-4"
    )
    assert part.status_code == 206 and b"".join(part.streaming_content) == b"%PDF-"
    assert (
        client_for(member_a).get(f"/yeu-cau-dich-vu/{req.pk}/tep/{attachment.pk}/").status_code
        == 404
    )
    tracked = client.get(f"/yeu-cau-dich-vu/theo-doi/{req.tracking_token}/tep/{attachment.pk}/")
    assert tracked.status_code == 200
    assert client.get(f"/yeu-cau-dich-vu/{req.pk}/tep/{attachment.pk}/").status_code == 404
    other = services.submit_request(None, intake_data())
    wrong = f"/yeu-cau-dich-vu/theo-doi/{other.tracking_token}/tep/{attachment.pk}/"
    assert client.get(wrong).status_code == 404
