"""Pages over the personas: who sees a draft, who edits, who manages the learners, who reads
the statistics. Every protected action: an allowed persona and the refused ones (a plain
member of the organizer, `member_a`, included)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sti.core.models import AuditEntry
from sti.core.testing import (
    EVERYONE,
    LOGIN,
    SIGNED_IN,
    STAFF,
    CreatePageTests,
    DetailPageTests,
    EditPageTests,
    ListPageTests,
    PersonaMatrix,
    assert_refused,
    persona_user,
)
from sti.training import services
from sti.training.choices import CourseStatus, RegistrationStatus
from sti.training.models import Certificate, Course
from sti.training.tests.conftest import public_data

pytestmark = pytest.mark.django_db

MANAGERS = STAFF | {"reporter_a"}
DRAFT_TITLE = "Tập huấn chuyển đổi số cho hợp tác xã (bản nháp)"


def _session_data(prefix="buoi", days=5):
    day = timezone.localdate() + timedelta(days=days)
    return {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
        f"{prefix}-0-starts_at": f"{day:%Y-%m-%d}T08:00",
        f"{prefix}-0-ends_at": f"{day:%Y-%m-%d}T11:30",
        f"{prefix}-0-topic": "Khai mạc và chuyên đề 1",
        f"{prefix}-1-starts_at": "",
        f"{prefix}-1-ends_at": "",
        f"{prefix}-1-topic": "",
        "gv-TOTAL_FORMS": "1",
        "gv-INITIAL_FORMS": "0",
        "gv-MIN_NUM_FORMS": "0",
        "gv-MAX_NUM_FORMS": "20",
        "gv-0-researcher": "",
        "gv-0-name": "ThS. Lê Thị Mỹ Hạnh",
        "gv-0-affiliation": "Cục Sở hữu trí tuệ",
    }


class TestDraftCourse(DetailPageTests, ListPageTests):
    """A draft of organization A: editors and A's reporters see it; a plain member of A
    does not (drafts are for those who may act for the organizer)."""

    detail_allowed = MANAGERS
    detail_refused = dict.fromkeys(EVERYONE, 404)
    list_url = "/dao-tao/"

    def detail_object(self, request):
        return request.getfixturevalue("make_course")(title=DRAFT_TITLE, status=CourseStatus.DRAFT)

    def listed(self, request, persona):
        return [request.getfixturevalue("make_course")(title="Tập huấn VietGAP cho nông dân").title]

    def unlisted(self, request, persona):
        return [] if persona in MANAGERS else [self.detail_object(request).title]


class TestOpenCourse(DetailPageTests):
    detail_allowed = EVERYONE

    def detail_object(self, request):
        return request.getfixturevalue("course")

    def detail_texts(self, obj):
        return [obj.title, obj.place, "Đăng ký tham gia", "Buổi 1"]


class TestCourseCreate(CreatePageTests):
    create_url = "/dao-tao/them/"
    create_allowed = STAFF | {"reporter_a", "reporter_b"}
    model = Course
    create_expected = {"title": "Kỹ năng khai thác cơ sở dữ liệu sáng chế", "capacity": 40}

    def create_data(self, request):
        return {
            "title": "Kỹ năng khai thác cơ sở dữ liệu sáng chế",
            "description": "Tra cứu WIPO Patentscope và IP Lib.",
            "audience": "Cán bộ thông tin",
            "organizer": request.getfixturevalue("org_a").pk,
            "delivery": "onsite",
            "place": "Phòng máy Trung tâm Thông tin KH&CN",
            "capacity": "40",
            "has_waiting_list": "on",
            **_session_data(),
        }

    def check_created(self, obj, user):
        assert obj.status == CourseStatus.DRAFT
        assert obj.sessions.count() == 1
        assert obj.starts_on == timezone.localdate() + timedelta(days=5)
        assert [t.display_name for t in obj.trainers.all()] == ["ThS. Lê Thị Mỹ Hạnh"]
        assert AuditEntry.objects.filter(object_type="training.course").exists()

    def test_create(self, request, client_for, persona):
        if persona == "reporter_b":  # may create, but only for organization B
            user = persona_user(request, persona)
            response = client_for(user).post(self.create_url, self.create_data(request))
            assert response.status_code == 200
            assert not Course.objects.exists()
            return
        super().test_create(request, client_for, persona)


class TestCourseEdit(EditPageTests):
    edit_allowed = MANAGERS
    edit_refused = {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN - MANAGERS, 403)}
    edit_expected = {"title": "Tập huấn sở hữu trí tuệ (cập nhật)", "capacity": 30}

    def edit_object(self, request):
        return request.getfixturevalue("course")

    def edit_url(self, obj):
        return f"/dao-tao/{obj.pk}/sua/"

    def edit_data(self, request, obj):
        first, second = obj.sessions.all()
        data = {
            "title": "Tập huấn sở hữu trí tuệ (cập nhật)",
            "organizer": obj.organizer_id,
            "delivery": "onsite",
            "place": obj.place,
            "capacity": "30",
            **_session_data(),
            "buoi-INITIAL_FORMS": "2",
            "buoi-0-id": str(first.pk),
            "buoi-1-id": str(second.pk),
            "buoi-1-starts_at": f"{second.starts_at:%Y-%m-%dT%H:%M}",
            "buoi-1-ends_at": f"{second.ends_at:%Y-%m-%dT%H:%M}",
            "buoi-1-DELETE": "on",
        }
        self.kept = first.pk
        return data

    def check_edited(self, obj, user):
        # The first session was changed in place, the second deleted.
        session = obj.sessions.get()
        assert session.pk == self.kept and session.topic == "Khai mạc và chuyên đề 1"
        assert obj.starts_on == timezone.localdate() + timedelta(days=5)


class ManagerPage(PersonaMatrix):
    """A page only the course's managers open (refused: login for anonymous, else 403)."""

    path = ""
    shows = "hocvien1@vidu.vn"
    page_allowed = MANAGERS
    page_refused = {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN - MANAGERS, 403)}

    def test_page(self, request, client_for, persona):
        course = request.getfixturevalue("course")
        services.register_public(course, public_data(1))
        response = client_for(persona_user(request, persona)).get(self.path.format(pk=course.pk))
        if not self.allowed("page", persona):
            assert_refused(response, self.refusal("page", persona))
            return
        assert response.status_code == 200
        assert self.shows in response.content.decode()


class TestRegistrationsPage(ManagerPage):
    path = "/dao-tao/{pk}/hoc-vien/"


class TestRegistrationsExport(ManagerPage):
    path = "/dao-tao/{pk}/hoc-vien.csv"


class TestAttendancePage(ManagerPage):
    path = "/dao-tao/{pk}/diem-danh/"
    shows = "Nguyễn Văn Học Viên 1"


class TestIssueCertificates(PersonaMatrix):
    issue_allowed = MANAGERS
    issue_refused = {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN - MANAGERS, 403)}

    def test_issue(self, request, client_for, persona):
        course = request.getfixturevalue("make_course")(sessions=1)
        registration = services.register_public(course, public_data(1))
        course.status = CourseStatus.RUNNING
        course.save()
        services.record_attendance(
            request.getfixturevalue("editor"), course, {(registration.pk, course.sessions.get().pk)}
        )
        course.status = CourseStatus.FINISHED
        course.save()
        response = client_for(persona_user(request, persona)).post(
            f"/dao-tao/{course.pk}/cap-chung-nhan/"
        )
        issued = Certificate.objects.filter(registration=registration).exists()
        if not self.allowed("issue", persona):
            assert_refused(response, self.refusal("issue", persona))
            assert not issued
            return
        assert response.status_code == 302
        assert issued


class TestCourseMove(PersonaMatrix):
    move_allowed = MANAGERS
    move_refused = {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN - MANAGERS, 403)}

    def test_move(self, request, client_for, persona):
        course = request.getfixturevalue("course")
        audits = AuditEntry.objects.count()
        response = client_for(persona_user(request, persona)).post(
            f"/dao-tao/{course.pk}/trang-thai/", {"target": "closed", "note": ""}
        )
        course.refresh_from_db()
        if not self.allowed("move", persona):
            assert_refused(response, self.refusal("move", persona))
            assert course.status == CourseStatus.OPEN
            assert AuditEntry.objects.count() == audits
            return
        assert response.status_code == 302
        assert course.status == CourseStatus.CLOSED

    def test_cancel_without_confirmation_is_refused_with_a_message(
        self, client_for, course, editor
    ):
        client = client_for(editor)
        response = client.post(
            f"/dao-tao/{course.pk}/trang-thai/", {"target": "cancelled"}, follow=True
        )
        course.refresh_from_db()
        assert course.status == CourseStatus.OPEN
        assert "hãy đánh dấu ô xác nhận" in response.content.decode()
        client.post(f"/dao-tao/{course.pk}/trang-thai/", {"target": "cancelled", "confirmed": "on"})
        course.refresh_from_db()
        assert course.status == CourseStatus.CANCELLED


class TestCancelByManager(PersonaMatrix):
    cancel_allowed = MANAGERS
    cancel_refused = {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN - MANAGERS, 404)}

    def test_cancel(self, request, client_for, persona):
        course = request.getfixturevalue("course")
        registration = services.register_public(course, public_data(1))
        response = client_for(persona_user(request, persona)).post(
            f"/dao-tao/dang-ky/{registration.pk}/huy/"
        )
        registration.refresh_from_db()
        if not self.allowed("cancel", persona):
            assert_refused(response, self.refusal("cancel", persona))
            assert registration.status == RegistrationStatus.CONFIRMED
            return
        assert response.status_code == 302
        assert registration.status == RegistrationStatus.CANCELLED


class TestStatistics(PersonaMatrix):
    stats_allowed = STAFF

    def test_statistics(self, request, client_for, persona):
        response = client_for(persona_user(request, persona)).get("/dao-tao/thong-ke/")
        if not self.allowed("stats", persona):
            assert_refused(response, self.refusal("stats", persona))
            return
        assert response.status_code == 200
        assert "<svg" in response.content.decode()


def test_statistics_bad_year_falls_back(client_for, editor):
    for value in ("abc", "99999", "-1"):
        response = client_for(editor).get("/dao-tao/thong-ke/", {"nam": value})
        assert response.status_code == 200
        assert f"năm {timezone.localdate().year}" in response.content.decode()


def test_my_registrations(client_for, course, registered):
    assert client_for(None).get("/dao-tao/cua-toi/").status_code == 302
    registered.email = "dangky@vidu.vn"
    registered.save()
    services.register_user(registered, course)
    page = client_for(registered).get("/dao-tao/cua-toi/").content.decode()
    assert course.title in page


def test_list_filters(client, make_course):
    make_course(title="Áp dụng VietGAP trong trồng trọt")
    make_course(
        title="Chuyển đổi số cho doanh nghiệp",
        delivery="online",
        place="",
        online_url="https://meet.jit.si/x",
    )
    page = client.get("/dao-tao/", {"q": "vietgap"}).content.decode()
    assert "VietGAP" in page and "Chuyển đổi số" not in page
    page = client.get("/dao-tao/", {"delivery": "online"}).content.decode()
    assert "VietGAP" not in page and "Chuyển đổi số" in page
    assert client.get("/dao-tao/", {"year": "abc", "status": "x"}).status_code == 200
    assert client.get("/dao-tao/", {"page": "999"}).status_code == 200


def test_unknown_pages_are_404(client):
    assert client.get("/dao-tao/999999/").status_code == 404
    assert client.get("/dao-tao/999999/dang-ky/").status_code == 404


def test_fee_is_grouped_the_vietnamese_way(client, make_course):
    paid = make_course(title="ISO 9001:2015 cho doanh nghiệp", fee=800000)
    make_course(title="Mã số mã vạch")
    assert "Học phí 800.000 đ" in client.get("/dao-tao/").content.decode()
    assert "800.000 đ" in client.get(paid.get_absolute_url()).content.decode()
    assert "Miễn phí" in client.get("/dao-tao/").content.decode()
