"""The service desk API: public submit and tracking, reads through the access rule,
editors' writes with a bearer token."""

from __future__ import annotations

import pytest
from django.test import Client

from sti.accounts.tokens import create_token
from sti.servicedesk.models import ServiceRequest
from sti.servicedesk.tests.conftest import NOTE_SECRET

pytestmark = pytest.mark.django_db
BASE = "/api/servicedesk"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')}"}


def payload(**extra):
    data = {
        "kind": "standards",
        "subject": "Hướng dẫn công bố hợp quy phân bón hữu cơ",
        "description": "HTX cần hồ sơ công bố hợp quy cho phân bón hữu cơ vi sinh.",
        "requester_name": "Lâm Văn Phúc",
        "requester_organization": "HTX Phúc Lộc, Vĩnh Thạnh",
        "requester_email": "phuc@example.vn",
        "consent": True,
    }
    data.update(extra)
    return data


def test_submit_and_track(client):
    response = client.post(f"{BASE}/requests", payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    req = ServiceRequest.objects.get()
    assert body["reference"] == req.reference and body["tracking_token"] == req.tracking_token
    tracked = client.get(f"{BASE}/track/{body['tracking_token']}").json()
    assert tracked["status"] == "received" and tracked["answer"] == ""


@pytest.mark.parametrize(
    "bad",
    [
        {"consent": False},
        {"requester_email": "khong-hop-le"},
        {"kind": "tarot"},
        {"subject": ""},
        {"desired_deadline": "2026-02-31"},
        {"desired_deadline": "2001-05-01"},
    ],
)
def test_submit_refuses_bad_input(client, bad):
    response = client.post(f"{BASE}/requests", payload(**bad), content_type="application/json")
    assert response.status_code in (400, 422), response.status_code
    assert not ServiceRequest.objects.exists()


def test_submit_is_rate_limited(client, settings):
    settings.STI_SERVICEDESK_RATE = (1, 3600)
    assert (
        client.post(f"{BASE}/requests", payload(), content_type="application/json").status_code
        == 201
    )
    refused = client.post(f"{BASE}/requests", payload(), content_type="application/json")
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Gửi quá nhiều yêu cầu; vui lòng thử lại sau.",
        "code": "too_many_requests",
        "errors": [],
    }


@pytest.mark.parametrize("persona", ["anonymous", "registered", "member_a", "reporter_a"])
def test_others_read_nothing(request, persona, handled):
    client = Client()
    headers = {} if persona == "anonymous" else bearer(request.getfixturevalue(persona))
    assert client.get(f"{BASE}/requests/{handled.pk}", **headers).status_code == 404
    listing = client.get(f"{BASE}/requests", **headers).json()
    assert listing["count"] == 0


def test_the_requester_reads_their_own_without_notes(handled, requester):
    body = Client().get(f"{BASE}/requests/{handled.pk}", **bearer(requester)).json()
    assert body["reference"] == handled.reference
    assert body["internal_notes"] is None
    assert NOTE_SECRET not in str(body)


@pytest.mark.parametrize("persona", ["registered", "member_a", "reporter_a"])
def test_editor_writes_refused_to_others(request, persona, handled, editor):
    headers = bearer(request.getfixturevalue(persona))
    client = Client()
    for path, data in [
        ("notes", {"body": "x"}),
        ("messages", {"body": "x"}),
        ("answer", {"answer": "x"}),
        ("move", {"target": "rejected", "note": "x"}),
        ("assign", {"assignee": editor.pk}),
    ]:
        response = client.post(
            f"{BASE}/requests/{handled.pk}/{path}", data, content_type="application/json", **headers
        )
        assert response.status_code == 403, (path, response.status_code)
        assert response.json()["code"] == "forbidden"
    assert (
        Client()
        .post(f"{BASE}/requests/{handled.pk}/notes", {"body": "x"}, content_type="application/json")
        .status_code
        == 401
    )
    handled.refresh_from_db()
    assert handled.status == "in_progress" and handled.internal_notes.count() == 1


def test_editor_handles_a_request(make_request, editor):
    req = make_request()
    client, headers = Client(), bearer(editor)

    def post(path, data):
        return client.post(
            f"{BASE}/requests/{req.pk}/{path}", data, content_type="application/json", **headers
        )

    assert post("assign", {"assignee": editor.pk}).json()["status"] == "assigned"
    assert post("notes", {"body": "Gọi lại chiều nay"}).status_code == 201
    assert post("move", {"target": "closed"}).status_code == 409  # not in the table
    assert post("move", {"target": "in_progress"}).json()["status"] == "in_progress"
    assert post("messages", {"body": "Xin gửi bản vẽ."}).status_code == 201
    answered = post("answer", {"answer": "Hồ sơ công bố gồm …"}).json()
    assert answered["status"] == "answered" and answered["answer"] == "Hồ sơ công bố gồm …"
    assert [n["body"] for n in answered["internal_notes"]] == ["Gọi lại chiều nay"]
    assert post("move", {"target": "nowhere"}).status_code == 422
