"""Registrations: seats, the waiting list, promotion on cancel, duplicates, the window, the
public form's spam guards and the e-mails (MUST SHOW: the (capacity + 1)-th registration)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sti.core.models import AuditEntry
from sti.training import services
from sti.training.choices import CourseStatus, RegistrationStatus
from sti.training.models import Registration
from sti.training.tests.conftest import public_data
from sti.training.tokens import cancel_token

pytestmark = pytest.mark.django_db


def _register(course, n):
    return services.register_public(course, public_data(n))


def test_capacity_plus_one_goes_to_the_waiting_list_and_is_promoted_on_cancel(
    course, run_on_commit
):
    with run_on_commit():
        first, second = _register(course, 1), _register(course, 2)
        third, fourth = _register(course, 3), _register(course, 4)
    assert [r.status for r in (first, second)] == [RegistrationStatus.CONFIRMED] * 2
    assert [r.status for r in (third, fourth)] == [RegistrationStatus.WAITING] * 2
    assert course.registrations.confirmed().count() == course.capacity

    mail.outbox.clear()
    with run_on_commit():
        promoted = services.cancel_registration_by_link(first, first.email)
    assert promoted == third  # first come, first served
    third.refresh_from_db()
    fourth.refresh_from_db()
    first.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED and third.promoted_at is not None
    assert fourth.status == RegistrationStatus.WAITING
    assert first.status == RegistrationStatus.CANCELLED
    assert course.registrations.confirmed().count() == course.capacity
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, third.email]
    promoted_mail = next(m for m in mail.outbox if m.to == [third.email])
    assert "chuyển từ danh sách chờ" in promoted_mail.body


def test_a_course_without_waiting_list_refuses_the_capacity_plus_one(make_course):
    course = make_course(has_waiting_list=False)
    _register(course, 1)
    _register(course, 2)
    with pytest.raises(ValidationError, match="đã đủ 2 chỗ và không nhận danh sách chờ"):
        _register(course, 3)
    assert course.registrations.count() == 2


def test_cancelling_a_waiting_registration_promotes_nobody(course):
    for n in range(1, 4):
        _register(course, n)
    waiting = course.registrations.waiting().get()
    assert services.cancel_registration_by_link(waiting, waiting.email) is None
    assert course.registrations.confirmed().count() == 2


def test_duplicate_registration_is_refused_with_a_clear_message(course, registered):
    _register(course, 1)
    with pytest.raises(ValidationError, match="Bạn đã đăng ký khóa học này"):
        services.register_public(course, public_data(1, email="HocVien1@vidu.vn "))
    registered.email = "dangky@vidu.vn"
    registered.save()
    services.register_user(registered, course)
    with pytest.raises(ValidationError, match="Bạn đã đăng ký khóa học này"):
        services.register_user(registered, course)
    # Once cancelled, the same person may register again.
    own = course.registrations.get(user=registered)
    services.cancel_registration(registered, own)
    assert services.register_user(registered, course).status == RegistrationStatus.CONFIRMED


def test_one_click_registration_uses_the_profile(course, reporter_a, org_a):
    reporter_a.email = "baocao@ctu.edu.vn"
    reporter_a.phone = "0292 3832 663"
    reporter_a.save()
    registration = services.register_user(reporter_a, course, gender="unstated")
    assert registration.full_name == "Phạm Báo Cáo A"
    assert registration.organization_name == org_a.name
    assert registration.organization_kind == "university"
    assert registration.gender == "unstated"
    assert registration.phone == "0292 3832 663"
    assert AuditEntry.objects.filter(object_type="training.registration").count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": CourseStatus.DRAFT}, "không nhận đăng ký"),
        ({"status": CourseStatus.CLOSED}, "không nhận đăng ký"),
        ({"registration_opens_in_days": 2}, "mở đăng ký từ"),
        ({"registration_closes_in_days": -1}, "hết hạn đăng ký"),
    ],
)
def test_registration_window(course, change, message):
    now = timezone.now()
    if "status" in change:
        course.status = change["status"]
    if "registration_opens_in_days" in change:
        course.registration_opens = now + timedelta(days=change["registration_opens_in_days"])
    if "registration_closes_in_days" in change:
        course.registration_opens = now - timedelta(days=5)
        course.registration_closes = now + timedelta(days=change["registration_closes_in_days"])
    course.save()
    with pytest.raises(ValidationError, match=message):
        _register(course, 1)


def test_cancel_permissions(course, registered, member_a, reporter_a, reporter_b, editor):
    registered.email = "dangky@vidu.vn"
    registered.save()
    own = services.register_user(registered, course)
    other = _register(course, 2)
    for refused in (member_a, reporter_b):
        with pytest.raises(PermissionDenied):
            services.cancel_registration(refused, own)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registered, other)  # someone else's
    services.cancel_registration(reporter_a, other)  # the organizer's reporter
    services.cancel_registration(registered, own)  # the registrant
    with pytest.raises(ValidationError, match="đã được hủy trước đó"):
        services.cancel_registration(editor, own)


def test_signed_cancel_link(client, course, run_on_commit):
    with run_on_commit():
        registration = _register(course, 1)
    assert cancel_token(registration) in mail.outbox[0].body
    url = f"/dao-tao/huy-dang-ky/{cancel_token(registration)}/"
    assert "Bạn chắc chắn muốn hủy" in client.get(url).content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # GET changes nothing
    response = client.post(url)
    assert "Đăng ký này đã được hủy." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    tampered = url.replace(url.split("/")[-2][-5:], "AAAAA")
    assert client.get(tampered).status_code == 404
    assert client.get("/dao-tao/huy-dang-ky/khong-hop-le/").status_code == 404


def test_public_form_registers_and_sends_the_confirmation(client, course, run_on_commit):
    with run_on_commit():
        response = client.post(f"/dao-tao/{course.pk}/dang-ky/", public_data(1))
    assert response.status_code == 200
    assert "Đăng ký thành công" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.email == "hocvien1@vidu.vn"
    assert mail.outbox[0].to == ["hocvien1@vidu.vn"]
    assert course.title in mail.outbox[0].subject
    assert "&amp;" not in mail.outbox[0].body and "KH&CN" in mail.outbox[0].body


def test_public_form_errors_are_clear(client, course):
    response = client.post(
        f"/dao-tao/{course.pk}/dang-ky/", public_data(1, email="khong-phai-thu", phone="abc")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ." in content
    assert not Registration.objects.exists()


def test_honeypot_and_rate_limit(client, course):
    response = client.post(
        f"/dao-tao/{course.pk}/dang-ky/", public_data(1, website="http://spam.example")
    )
    assert "quá nhiều lượt đăng ký" in response.content.decode()
    assert not Registration.objects.exists()
    course.capacity = 50
    course.save()
    for n in range(2, 2 + services.PUBLIC_REGISTRATIONS_PER_WINDOW):
        client.post(f"/dao-tao/{course.pk}/dang-ky/", public_data(n))
    assert Registration.objects.count() == services.PUBLIC_REGISTRATIONS_PER_WINDOW - 1
    response = client.post(f"/dao-tao/{course.pk}/dang-ky/", public_data(99))
    assert "quá nhiều lượt đăng ký" in response.content.decode()


def test_one_click_page_for_a_signed_in_user(client_for, course, registered):
    registered.email = "dangky@vidu.vn"
    registered.save()
    client = client_for(registered)
    page = client.get(f"/dao-tao/{course.pk}/dang-ky/").content.decode()
    assert "Đăng ký với tài khoản của bạn" in page
    response = client.post(f"/dao-tao/{course.pk}/dang-ky/", {"gender": "female"})
    assert "Đăng ký thành công" in response.content.decode()
    assert Registration.objects.get().user == registered
    detail = client.get(course.get_absolute_url()).content.decode()
    assert "Bạn đã đăng ký khóa học này." in detail


def test_raising_capacity_fills_seats_from_the_waiting_list(course, editor):
    for n in range(1, 5):
        _register(course, n)
    services.update_course(course, actor=editor, data={"capacity": 3})
    assert course.registrations.confirmed().count() == 3
    assert course.registrations.waiting().count() == 1
    with pytest.raises(ValidationError, match="không thể ít hơn"):
        services.update_course(course, actor=editor, data={"capacity": 2})


def test_cancelling_a_course_needs_confirmation_and_tells_registrants(
    course, reporter_a, member_a, run_on_commit
):
    from sti.core.statemachine import IllegalMove, MoveForbidden

    _register(course, 1)
    with pytest.raises(MoveForbidden):
        services.move_course(member_a, course, CourseStatus.CANCELLED, confirmed=True)
    with pytest.raises(IllegalMove, match="xác nhận"):
        services.move_course(reporter_a, course, CourseStatus.CANCELLED)
    mail.outbox.clear()
    with run_on_commit():
        services.move_course(reporter_a, course, CourseStatus.CANCELLED, confirmed=True)
    course.refresh_from_db()
    assert course.status == CourseStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["hocvien1@vidu.vn"]]
    assert "đã bị hủy" in mail.outbox[0].body


def test_public_form_errors_are_linked_to_their_fields_for_screen_readers(
    client, make_course, course
):
    """Each field in error says so (aria-invalid) and names its message and help text
    (aria-describedby → elements of those ids): the shared form rendering, every form."""
    import re

    bad = public_data(1, email="không-phải-thư", full_name="")
    page = client.post(f"/dao-tao/{course.pk}/dang-ky/", bad)
    assert page.status_code == 200 and not Registration.objects.exists()
    html = page.content.decode()
    for name in ("full_name", "email"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag, tag
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert f"id_{name}_error" in described
        for ref in described:
            assert f'id="{ref}"' in html, ref
        error = html.split(f'id="id_{name}_error"', 1)[1].split("</div></div>", 1)[0]
        assert "invalid-feedback" in error
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert "aria-invalid" not in phone
    # A draft course takes no registration: the page says why, with no form to fill.
    draft = make_course(status=CourseStatus.DRAFT)
    assert client.post(f"/dao-tao/{draft.pk}/dang-ky/", public_data(2)).status_code == 404
    assert not Registration.objects.exists()
