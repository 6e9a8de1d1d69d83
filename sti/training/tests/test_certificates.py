"""Attendance, certificates and the public verification page (MUST SHOW: a real certificate
is confirmed, a forged code is refused with a clear message)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sti.training import services
from sti.training.choices import CourseStatus
from sti.training.models import Attendance, Certificate
from sti.training.tests.conftest import public_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_course):
    """A finished course of three sessions with three learners who attended 3, 2 and 1."""
    course = make_course(capacity=5, sessions=3, sessions_for_certificate=2)
    learners = [services.register_public(course, public_data(n)) for n in range(3)]
    course.status = CourseStatus.RUNNING
    course.save()
    sessions = list(course.sessions.all())
    return course, learners, sessions


def _attend(actor, course, learners, sessions):
    present = {
        (learner.pk, session.pk)
        for attended, learner in zip((3, 2, 1), learners, strict=True)
        for session in sessions[:attended]
    }
    return services.record_attendance(actor, course, present)


def test_attendance_and_certificates(held, reporter_a, member_a, reporter_b):
    course, learners, sessions = held
    for refused in (member_a, reporter_b):
        with pytest.raises(PermissionDenied):
            services.record_attendance(refused, course, set())
    assert _attend(reporter_a, course, learners, sessions) == 6
    # Taking the register again replaces it (idempotent).
    assert _attend(reporter_a, course, learners, sessions) == 6
    assert Attendance.objects.count() == 6
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.issue_certificates(reporter_a, course)
    course.status = CourseStatus.FINISHED
    course.save()
    with pytest.raises(PermissionDenied):
        services.issue_certificates(member_a, course)
    issued = services.issue_certificates(reporter_a, course)
    assert sorted(c.holder_name for c in issued) == [learners[0].full_name, learners[1].full_name]
    assert services.issue_certificates(reporter_a, course) == []  # once per learner
    codes = [c.code for c in issued]
    assert len(set(codes)) == 2 and all(len(code) >= 20 for code in codes)


def test_attendance_ignores_people_and_sessions_of_other_courses(held, make_course, editor):
    course, learners, sessions = held
    other = make_course(title="Khóa khác")
    stranger = services.register_public(other, public_data(9))
    count = services.record_attendance(
        editor, course, {(stranger.pk, sessions[0].pk), (learners[0].pk, 999999)}
    )
    assert count == 0 and not Attendance.objects.exists()


def _certificate(held, editor):
    course, learners, sessions = held
    _attend(editor, course, learners, sessions)
    course.status = CourseStatus.FINISHED
    course.save()
    return services.issue_certificates(editor, course)[0]


def test_verification_page_confirms_a_real_certificate(client, held, editor):
    certificate = _certificate(held, editor)
    response = client.get(f"/dao-tao/chung-nhan/{certificate.code}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Chứng nhận hợp lệ" in content
    assert certificate.holder_name in content
    assert certificate.registration.course.title in content
    assert certificate.issued_on.strftime("%d/%m/%Y") in content


@pytest.mark.parametrize(
    "forged",
    ["forged", "A" * 22, "x" * 200, "%3Cscript%3E", "' OR 1=1 --"],
)
def test_verification_page_refuses_a_forged_code(client, held, editor, forged):
    certificate = _certificate(held, editor)
    response = client.get(f"/dao-tao/chung-nhan/{forged}/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Không xác thực được chứng nhận" in content
    assert certificate.holder_name not in content
    # A real code with one character changed is refused as well.
    flipped = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    assert client.get(f"/dao-tao/chung-nhan/{flipped}/").status_code == 404


def test_a_revoked_certificate_is_refused(client, held, editor):
    certificate = _certificate(held, editor)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    response = client.get(f"/dao-tao/chung-nhan/{certificate.code}/")
    assert response.status_code == 404
    assert client.get(f"/dao-tao/chung-nhan/{certificate.code}/pdf/").status_code == 404


def test_certificate_pdf(client, held, editor):
    certificate = _certificate(held, editor)
    response = client.get(f"/dao-tao/chung-nhan/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdfium2 import PdfDocument

    text = PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert certificate.holder_name in text
    assert certificate.code in text.replace("\r", "").replace("\n", "")
    assert client.get("/dao-tao/chung-nhan/gia-mao/pdf/").status_code == 404


def test_attendance_page(client_for, held, reporter_a, member_a):
    course, learners, sessions = held
    url = f"/dao-tao/{course.pk}/diem-danh/"
    assert client_for(member_a).get(url).status_code == 403
    client = client_for(reporter_a)
    page = client.get(url).content.decode()
    assert learners[0].full_name in page
    response = client.post(url, {"present": [f"{learners[0].pk}-{sessions[0].pk}", "x-y"]})
    assert response.status_code == 302
    assert Attendance.objects.get().registration == learners[0]
    assert client_for(member_a).post(url, {"present": []}).status_code == 403
    assert Attendance.objects.count() == 1
