"""Every editor page renders, and the council, acceptance and registration forms work."""

from datetime import date

import pytest

from sti.directory.models import Organization, Researcher
from sti.projects.choices import TaskStatus
from sti.projects.models import Council, ResultRegistration
from sti.projects.tests.conftest import field


@pytest.fixture
def expert_pool(db, org_b):
    other = Organization.objects.create(name="Trường Đại học Tây Đô", kind="university")
    people = []
    for name, org in (
        ("Nguyễn Văn Một", org_b),
        ("Trần Thị Hai", other),
        ("Lê Văn Ba", other),
        ("Phạm Thị Bốn", org_b),
        ("Võ Văn Năm", other),
        ("Đặng Thị Sáu", other),
    ):
        person = Researcher.objects.create(
            full_name=name,
            organization=org,
            is_expert=True,
            is_public=True,
            degree="TS",
            expertise="giống lúa, chịu mặn",
        )
        person.fields.set([field("401")])
        people.append(person)
    return people


def test_editor_pages_render(client_for, editor, make_task, expert_pool):
    c = client_for(editor)
    task = make_task(status=TaskStatus.IN_PROGRESS)
    for url in (
        "/nhiem-vu/",
        "/nhiem-vu/them/",
        f"/nhiem-vu/{task.pk}/",
        f"/nhiem-vu/{task.pk}/sua/",
        f"/nhiem-vu/{task.pk}/kiem-tra-tien-do/",
        f"/nhiem-vu/{task.pk}/nghiem-thu/",
        f"/nhiem-vu/{task.pk}/dang-ky-ket-qua/",
        f"/nhiem-vu/{task.pk}/ung-dung/",
        f"/nhiem-vu/{task.pk}/hoi-dong/",
        "/nhiem-vu/de-xuat/",
        "/nhiem-vu/de-xuat/them/",
        "/nhiem-vu/dang-ky-ket-qua/",
        "/nhiem-vu/an-pham/",
        "/nhiem-vu/nhap/",
    ):
        response = c.get(url)
        assert response.status_code == 200, url


def test_council_acceptance_and_registration_through_pages(
    client_for, editor, make_task, expert_pool, org_a
):
    c = client_for(editor)
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)
    page = c.get(f"/nhiem-vu/{task.pk}/hoi-dong/").content.decode()
    assert "cùng lĩnh vực 401 Trồng trọt" in page
    form = c.get(f"/nhiem-vu/{task.pk}/hoi-dong/").context["form"]
    data = {"kind": "nghiem_thu", "decision_number": "215/QĐ-SKHCN", "meeting_date": "2024-12-01"}
    data.update(
        {
            name: field.initial
            for name, field in form.fields.items()
            if name.startswith(("seat_", "role_"))
        }
    )
    response = c.post(f"/nhiem-vu/{task.pk}/hoi-dong/", data)
    council = Council.objects.get(task=task)
    assert response.status_code == 302 and council.members.count() == 6
    assert council.members.filter(role="chu_tich").count() == 1
    member = council.members.first()
    c.post(f"/nhiem-vu/danh-gia/{member.pk}/", {"verdict": "dat", "score": "88", "comments": "Tốt"})
    assert member.__class__.objects.get(pk=member.pk).evaluation.score == 88
    assert "Tốt" in c.get(f"/nhiem-vu/hoi-dong/{council.pk}/").content.decode()
    c.post(
        f"/nhiem-vu/{task.pk}/nghiem-thu/",
        {"acceptance_date": "2024-12-01", "rating": "dat", "council": council.pk},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    c.post(
        f"/nhiem-vu/{task.pk}/dang-ky-ket-qua/",
        {"status": "da_nop", "archive_number": "2024-99/KQNC"},
    )
    c.post(
        f"/nhiem-vu/{task.pk}/dang-ky-ket-qua/",
        {"status": "da_cap_gcn", "archive_number": "2024-99/KQNC", "certificate_number": "99/GCN"},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.REGISTERED
    assert ResultRegistration.objects.get(task=task).issued_on is not None
    public = client_for(None).get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "2024-99/KQNC" in public and task.code in public


def test_reporter_creates_draft_only_for_own_organization(
    client_for, reporter_a, org_a, org_b, city_level
):
    c = client_for(reporter_a)
    data = {
        "title": "Đề tài mới của Đại học Cần Thơ",
        "form": "de_tai",
        "level": city_level.pk,
        "planned_start": date(2025, 1, 1).isoformat(),
        "planned_end": date(2026, 1, 1).isoformat(),
    }
    refused = c.post("/nhiem-vu/them/", {**data, "host": org_b.pk})
    assert refused.status_code == 200 and "host" in refused.context["form"].errors
    created = c.post("/nhiem-vu/them/", {**data, "host": org_a.pk})
    assert created.status_code == 302
    from sti.projects.models import Task

    task = Task.objects.get(title="Đề tài mới của Đại học Cần Thơ")
    assert task.status == TaskStatus.PROPOSED and task.created_by == reporter_a
