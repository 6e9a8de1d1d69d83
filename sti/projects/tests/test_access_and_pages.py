"""Pages and API: who sees and edits what, Art. 23 §2 fields, refused transitions."""

import json

import pytest

from sti.accounts.tokens import create_token
from sti.core.models import AuditEntry
from sti.projects.choices import TaskStatus
from sti.projects.models import Task, TaskTransition


@pytest.fixture
def tasks(make_task, org_a, org_b):
    return {
        "draft_a": make_task(
            status=TaskStatus.PROPOSED, host=org_a, title="Dự thảo của Đại học Cần Thơ"
        ),
        "draft_b": make_task(status=TaskStatus.LISTED, host=org_b, title="Dự thảo của Viện Lúa"),
        "ongoing_b": make_task(
            status=TaskStatus.IN_PROGRESS,
            host=org_b,
            title="Đang làm của Viện Lúa",
            total_budget=850,
            contract_number="HĐ-BÍ-MẬT-01",
        ),
        "secret_b": make_task(
            status=TaskStatus.IN_PROGRESS,
            host=org_b,
            is_confidential=True,
            title="Nhiệm vụ mật Viện Lúa",
        ),
    }


def test_reporter_a_cannot_see_or_edit_drafts_of_b(client_for, reporter_a, reporter_b, tasks):
    a, b = client_for(reporter_a), client_for(reporter_b)
    listing = a.get("/nhiem-vu/").content.decode()
    assert "Dự thảo của Đại học Cần Thơ" in listing
    assert "Dự thảo của Viện Lúa" not in listing and "Nhiệm vụ mật Viện Lúa" not in listing
    assert a.get(f"/nhiem-vu/{tasks['draft_b'].pk}/").status_code == 404
    assert a.get(f"/nhiem-vu/{tasks['draft_b'].pk}/sua/").status_code == 404
    assert a.post(f"/nhiem-vu/{tasks['draft_b'].pk}/sua/", {"title": "bị sửa"}).status_code == 404
    assert (
        a.get(f"/nhiem-vu/{tasks['ongoing_b'].pk}/sua/").status_code == 403
    )  # visible, not editable
    assert Task.objects.get(pk=tasks["draft_b"].pk).title == "Dự thảo của Viện Lúa"
    # B sees its own draft and confidential task; A's draft stays hidden from B.
    assert b.get(f"/nhiem-vu/{tasks['draft_b'].pk}/").status_code == 200
    assert b.get(f"/nhiem-vu/{tasks['secret_b'].pk}/").status_code == 200
    assert b.get(f"/nhiem-vu/{tasks['draft_a'].pk}/").status_code == 404
    api = client_for(reporter_a).get("/api/projects/tasks").json()
    titles = {item["title"] for item in api["items"]}
    assert "Dự thảo của Viện Lúa" not in titles and "Dự thảo của Đại học Cần Thơ" in titles


def test_anonymous_sees_only_article_23_fields_of_ongoing_tasks(client, tasks):
    page = client.get(f"/nhiem-vu/{tasks['ongoing_b'].pk}/").content.decode()
    assert "Đang làm của Viện Lúa" in page and "Viện Lúa Đồng bằng sông Cửu Long" in page
    assert "HĐ-BÍ-MẬT-01" not in page and "850" not in page and tasks["ongoing_b"].code not in page
    assert client.get(f"/nhiem-vu/{tasks['secret_b'].pk}/").status_code == 404
    assert client.get(f"/nhiem-vu/{tasks['draft_a'].pk}/").status_code == 404
    item = client.get(f"/api/projects/tasks/{tasks['ongoing_b'].pk}").json()
    assert item["contract_number"] is None and item["total_budget"] is None and item["code"] is None
    exported = json.loads(client.get("/nhiem-vu/xuat.json").content)
    assert {row["title"] for row in exported} == {"Đang làm của Viện Lúa"}
    assert "contract_number" not in exported[0] and exported[0]["code"] == ""


def test_illegal_transition_refused_in_page_and_api(client_for, editor, tasks):
    task = tasks["ongoing_b"]
    response = client_for(editor).post(
        f"/nhiem-vu/{task.pk}/chuyen-trang-thai/", {"target": TaskStatus.LIQUIDATED}, follow=True
    )
    assert (
        "Không thể chuyển nhiệm vụ từ “Đang thực hiện” sang “Đã thanh lý”"
        in response.content.decode()
    )
    key = create_token(editor, "kịch bản")
    before = AuditEntry.objects.count()
    api = client_for(None).post(
        f"/api/projects/tasks/{task.pk}/transition",
        {"target": TaskStatus.REGISTERED},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 409
    assert "Không thể chuyển nhiệm vụ" in api.json()["detail"]
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert (
        not TaskTransition.objects.filter(task=task).exists()
        and AuditEntry.objects.count() == before
    )
    ok = client_for(None).post(
        f"/api/projects/tasks/{task.pk}/transition",
        {"target": TaskStatus.EXTENDED, "note": "Gia hạn 6 tháng"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert ok.status_code == 200 and ok.json()["status"] == TaskStatus.EXTENDED


def test_api_transition_needs_token_and_role(client_for, reporter_b, tasks):
    task = tasks["ongoing_b"]
    assert (
        client_for(None)
        .post(
            f"/api/projects/tasks/{task.pk}/transition",
            {"target": "gia_han"},
            content_type="application/json",
        )
        .status_code
        == 401
    )
    key = create_token(reporter_b, "b")
    refused = client_for(None).post(
        f"/api/projects/tasks/{task.pk}/transition",
        {"target": "gia_han"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert refused.status_code == 403 and "không có quyền" in refused.json()["detail"]


def test_filters_by_level_field_year_organization_and_unaccented_title(
    client, make_task, org_a, org_b
):
    make_task(title="Nuôi tôm càng xanh luân canh lúa", host=org_a, fields=("405",))
    make_task(title="Đánh giá đất phèn", host=org_b, fields=("401",))
    page = client.get("/nhiem-vu/", {"q": "tom cang xanh"}).content.decode()
    assert "Nuôi tôm càng xanh" in page and "Đánh giá đất phèn" not in page
    page = client.get(
        "/nhiem-vu/", {"field": "405", "organization": org_a.pk, "year": 2024, "level": "tinh"}
    ).content.decode()
    assert "Nuôi tôm càng xanh" in page and "Đánh giá đất phèn" not in page
    assert client.get("/nhiem-vu/", {"year": 2030}).content.decode().count("<article") == 0
    api = client.get("/api/projects/tasks", {"field": "401"}).json()
    assert [item["title"] for item in api["items"]] == ["Đánh giá đất phèn"]


def test_proposal_pages_flow(client_for, reporter_a, editor, org_a, make_task):
    make_task(
        title="Ứng dụng màng bao chitosan kéo dài thời gian bảo quản bưởi Năm Roi xuất khẩu",
        host=org_a,
    )
    c = client_for(reporter_a)
    response = c.post(
        "/nhiem-vu/de-xuat/them/",
        {
            "title": "Bảo quản bưởi Năm Roi xuất khẩu bằng màng bao chitosan",
            "organization": org_a.pk,
            "objectives": "Kéo dài thời gian bảo quản bưởi.",
        },
    )
    assert response.status_code == 302
    detail_url = response["Location"]
    c.post(detail_url + "nop/")
    page = c.get(detail_url).content.decode()
    assert "Nghi trùng lặp" in page and "<mark>" in page
    editor_page = client_for(editor).post(
        detail_url + "xu-ly/", {"target": "dat_hang", "note": "Đặt hàng"}, follow=True
    )
    assert editor_page.status_code == 200
    assert "không thể chuyển" in editor_page.content.decode().lower()  # must be advised first


def test_registration_board_lists_overdue(client_for, editor, make_task):
    from datetime import date

    from sti.projects.models import Acceptance, ResultRegistration

    task = make_task(status=TaskStatus.ACCEPTED, title="Nhiệm vụ quá hạn đăng ký")
    Acceptance.objects.create(task=task, date=date(2020, 1, 1), rating="dat")
    ResultRegistration.objects.create(task=task)
    page = client_for(editor).get("/nhiem-vu/dang-ky-ket-qua/").content.decode()
    assert "Nhiệm vụ quá hạn đăng ký" in page and "31/01/2020" in page
    assert client_for(None).get("/nhiem-vu/dang-ky-ket-qua/").status_code == 302


def test_list_page_query_count_does_not_grow(client, make_task, django_assert_max_num_queries):
    for _i in range(30):
        make_task(status=TaskStatus.IN_PROGRESS)
    with django_assert_max_num_queries(8):
        assert client.get("/nhiem-vu/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/projects/tasks").status_code == 200


def test_api_applications_follow_task_visibility(client, make_task, editor):
    from sti.projects.models import ResultApplication

    public = make_task(status=TaskStatus.APPLIED, title="Công khai")
    secret = make_task(status=TaskStatus.APPLIED, title="Mật", is_confidential=True)
    for task in (public, secret):
        ResultApplication.objects.create(task=task, year=2024, place="Phong Điền", form="san_xuat")
    data = client.get("/api/projects/applications", {"year": 2024}).json()
    assert [row["task_title"] for row in data] == ["Công khai"]


def test_the_list_filter_does_not_confirm_an_ongoing_tasks_code(
    client_for, make_task, reporter_a, editor
):
    """The code of an ongoing task is not public (TT 14/2014 Art. 23 §2): searching the list,
    the API or the export for it finds nothing, unless the viewer may read the results."""
    ongoing = make_task(status=TaskStatus.IN_PROGRESS, code="CT.2024.77")
    done = make_task(status=TaskStatus.REGISTERED, code="CT.2020.05")
    anonymous = client_for(None)
    assert anonymous.get("/api/projects/tasks", {"q": "CT.2024.77"}).json()["count"] == 0
    assert anonymous.get("/nhiem-vu/xuat.json", {"q": "CT.2024.77"}).json() == []
    assert ongoing.title not in anonymous.get("/nhiem-vu/", {"q": "CT.2024.77"}).content.decode()
    assert anonymous.get("/api/projects/tasks", {"q": "ct.2020.05"}).json()["count"] == 1
    # The host's reporters and editors read the code, so they find the task by it.
    for viewer in (reporter_a, editor):
        page = client_for(viewer).get("/nhiem-vu/", {"q": "CT.2024.77"}).content.decode()
        assert ongoing.get_absolute_url() in page
    assert done.title  # completed task's code is public
