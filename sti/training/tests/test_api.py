"""The training API: reads through visible_to, one-click registration and cancellation with
a bearer token, certificate verification by code."""

import json

import pytest

from sti.accounts.tokens import create_token
from sti.core.testing import assert_num_queries_at_most
from sti.training import services
from sti.training.choices import CourseStatus, RegistrationStatus
from sti.training.models import Registration
from sti.training.tests.conftest import public_data

pytestmark = pytest.mark.django_db
BASE = "/api/training"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')}"}


@pytest.mark.parametrize(
    "persona, sees_draft",
    [
        (None, False),
        ("registered", False),
        ("member_a", False),
        ("reporter_b", False),
        ("reporter_a", True),
        ("editor", True),
    ],
)
def test_list_and_detail_follow_the_access_rule(request, client, make_course, persona, sees_draft):
    open_course = make_course(title="Tập huấn mã số mã vạch")
    draft = make_course(title="Khóa nháp về ISO 9001", status=CourseStatus.DRAFT)
    headers = bearer(request.getfixturevalue(persona)) if persona else {}
    items = client.get(f"{BASE}/courses", **headers).json()["items"]
    titles = {item["title"] for item in items}
    assert open_course.title in titles
    assert (draft.title in titles) == sees_draft
    detail = client.get(f"{BASE}/courses/{draft.pk}", **headers)
    assert detail.status_code == (200 if sees_draft else 404)
    body = client.get(f"{BASE}/courses/{open_course.pk}", **headers).json()
    assert body["organizer"] == open_course.organizer.name
    assert [s["topic"] for s in body["sessions"]] == ["Buổi 1", "Buổi 2"]


def test_list_filters_and_bad_input(client, make_course):
    make_course(title="Áp dụng VietGAP")
    make_course(title="Chuyển đổi số", delivery="online")
    titles = [i["title"] for i in client.get(f"{BASE}/courses?q=vietgap").json()["items"]]
    assert titles == ["Áp dụng VietGAP"]
    refused = client.get(f"{BASE}/courses?status=khong-co")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["query", "status"]
    with assert_num_queries_at_most(6):
        assert client.get(f"{BASE}/courses").status_code == 200


def test_register_and_cancel_with_a_token(client, course, registered, member_a):
    registered.email = "dangky@vidu.vn"
    registered.save()
    url = f"{BASE}/courses/{course.pk}/registrations"
    assert client.post(url, "{}", content_type="application/json").status_code == 401
    response = client.post(
        url,
        json.dumps({"gender": "female"}),
        content_type="application/json",
        **bearer(registered),
    )
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(pk=response.json()["id"])
    assert registration.user == registered and registration.gender == "female"
    again = client.post(url, "{}", content_type="application/json", **bearer(registered))
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert "Bạn đã đăng ký khóa học này" in again.json()["detail"]
    # Someone else's registration is invisible to a plain member of the organizer.
    assert (
        client.delete(f"{BASE}/registrations/{registration.pk}", **bearer(member_a)).status_code
        == 404
    )
    response = client.delete(f"{BASE}/registrations/{registration.pk}", **bearer(registered))
    assert response.status_code == 200
    assert response.json()["status"] == RegistrationStatus.CANCELLED
    again = client.delete(f"{BASE}/registrations/{registration.pk}", **bearer(registered))
    assert again.status_code == 409
    assert set(again.json()) == {"detail", "code", "errors"}


def test_verify_certificate(client, make_course, editor):
    course = make_course(sessions=1)
    registration = services.register_public(course, public_data(1))
    course.status = CourseStatus.RUNNING
    course.save()
    services.record_attendance(editor, course, {(registration.pk, course.sessions.get().pk)})
    course.status = CourseStatus.FINISHED
    course.save()
    certificate = services.issue_certificates(editor, course)[0]
    body = client.get(f"{BASE}/certificates/{certificate.code}").json()
    assert body["holder_name"] == registration.full_name
    assert body["course"] == course.title
    forged = client.get(f"{BASE}/certificates/gia-mao-123")
    assert forged.status_code == 404
    assert forged.json()["code"] == "not_found"
    assert "Không có chứng nhận" in forged.json()["detail"]
