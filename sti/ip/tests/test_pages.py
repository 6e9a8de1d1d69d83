"""The register's pages for every persona: list and detail (unpublished filings for the
applicant's members and the editors only), create and edit (editors and the applicant's
reporters; never a plain member)."""

import pytest

from sti.core.models import AuditEntry
from sti.core.testing import (
    LOGIN,
    SIGNED_IN,
    STAFF,
    CreatePageTests,
    DetailPageTests,
    EditPageTests,
    ListPageTests,
    assert_refused,
)
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing

OWNERS = {"member_a", "reporter_a"} | STAFF
RECORDERS = {"reporter_a"} | STAFF


class TestList(ListPageTests):
    list_url = "/so-huu-tri-tue/"

    def listed(self, request, persona):
        published = request.getfixturevalue("published")
        unpublished = request.getfixturevalue("unpublished")
        return [published.title] + ([unpublished.title] if persona in OWNERS else [])

    def unlisted(self, request, persona):
        return [] if persona in OWNERS else [request.getfixturevalue("unpublished").title]


class TestUnpublishedDetail(DetailPageTests):
    detail_allowed = OWNERS
    detail_refused = {
        persona: 404 for persona in ("anonymous", "registered", "reporter_b", "expert_user")
    }

    def detail_object(self, request):
        return request.getfixturevalue("unpublished")

    def detail_texts(self, obj):
        return [obj.title, obj.application_number, "Trường Đại học Cần Thơ"]


class TestCreate(CreatePageTests):
    model = Filing
    create_url = "/so-huu-tri-tue/them/"
    create_allowed = RECORDERS
    # Reporter B may record filings, for its own organization only: the form refuses A.
    create_refused = {"reporter_b": 200}
    create_expected = {"title": "Nhãn hiệu Gạo Ngọc Đồng", "status": FilingStatus.FILED}

    def create_data(self, request):
        org_a = request.getfixturevalue("org_a")
        return {
            "kind": IPKind.TRADEMARK,
            "title": "Nhãn hiệu Gạo Ngọc Đồng",
            "application_number": "4-2019-01234",
            "filed_on": "2019-02-01",
            "applicant_organization": org_a.pk,
            "status": FilingStatus.FILED,
        }

    def check_created(self, obj, user):
        assert AuditEntry.objects.filter(object_type="ip.filing", action="create").exists()


class TestEdit(EditPageTests):
    edit_allowed = RECORDERS
    edit_expected = {"title": "Nước mắm Phú Quốc Thượng Hạng"}

    def edit_object(self, request):
        return request.getfixturevalue("published")

    def edit_url(self, obj):
        return f"/so-huu-tri-tue/{obj.pk}/sua/"

    def edit_data(self, request, obj):
        return {
            "kind": obj.kind,
            "title": "Nước mắm Phú Quốc Thượng Hạng",
            "application_number": obj.application_number,
            "filed_on": "2018-03-01",
            "applicant_organization": obj.applicant_organization_id,
        }


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - RECORDERS) + ["anonymous"])
def test_refused_personas_cannot_move_or_delete(request, client_for, published, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    response = client.post(
        f"/so-huu-tri-tue/{published.pk}/trang-thai/", {"target": "withdrawn", "confirmed": "1"}
    )
    assert_refused(response, LOGIN if user is None else 403)
    response = client.post(f"/so-huu-tri-tue/{published.pk}/xoa/")
    assert_refused(response, LOGIN if user is None else 403)
    assert Filing.objects.filter(pk=published.pk).exists()
    published.refresh_from_db()
    assert published.status == FilingStatus.EXAMINED


def test_reporter_moves_through_the_table_with_grant_data_and_confirmation(
    client_for, reporter_a, published
):
    client = client_for(reporter_a)
    url = f"/so-huu-tri-tue/{published.pk}/trang-thai/"
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Ghi nhận cấp văn bằng" in page and "Đơn đã rút không thể khôi phục" in page
    # Granting needs the title's number: refused with the reason, nothing changes.
    client.post(url, {"target": "granted", "granted_on": "2019-01-10"})
    published.refresh_from_db()
    assert published.status == FilingStatus.EXAMINED
    # Withdrawing without the confirmation changes nothing either.
    client.post(url, {"target": "withdrawn"})
    published.refresh_from_db()
    assert published.status == FilingStatus.EXAMINED
    client.post(url, {"target": "granted", "grant_number": "4-0312345", "granted_on": "2019-01-10"})
    published.refresh_from_db()
    assert (published.status, published.grant_number) == (FilingStatus.GRANTED, "4-0312345")
    entry = AuditEntry.objects.get(object_type="ip.filing", action="transition")
    assert entry.changes == {"status": ["examined", "granted"]}
    # A granted title has no further moves.
    assert client.post(url, {"target": "withdrawn", "confirmed": "1"}).status_code == 302
    published.refresh_from_db()
    assert published.status == FilingStatus.GRANTED


def test_delete_by_the_applicants_reporter(client_for, reporter_a, published):
    assert client_for(reporter_a).post(f"/so-huu-tri-tue/{published.pk}/xoa/").status_code == 302
    assert not Filing.objects.filter(pk=published.pk).exists()


def test_list_filters_by_kind_status_year_organization_and_folded_text(client, make_filing, org_b):
    make_filing(title="Cà phê Tây Đô", kind=IPKind.TRADEMARK)
    make_filing(title="Chai đựng nước mắm", kind=IPKind.DESIGN, filed_on="2017-05-02")
    make_filing(
        title="Gạo Ngọc Đồng",
        applicant_organization=org_b,
        status=FilingStatus.GRANTED,
        grant_number="4-0300001",
        granted_on="2019-01-01",
    )

    def titles(**params):
        page = client.get("/so-huu-tri-tue/", params)
        return {filing.title for filing in page.context["page"]}

    assert titles(kind=IPKind.DESIGN) == {"Chai đựng nước mắm"}
    assert titles(year=2017) == {"Chai đựng nước mắm"}
    assert titles(status=FilingStatus.GRANTED) == {"Gạo Ngọc Đồng"}
    assert titles(organization=str(org_b.pk)) == {"Gạo Ngọc Đồng"}
    assert titles(organization="lua dong bang") == {"Gạo Ngọc Đồng"}  # Viện Lúa ĐBSCL, folded
    assert titles(q="CA PHE tay do") == {"Cà phê Tây Đô"}
    assert titles(q="ga\u0323o ngo\u0323c") == {"Gạo Ngọc Đồng"}  # NFD input


def test_task_page_lists_its_filings_through_the_register(
    client_for, reporter_a, make_filing, org_a, city_level
):
    from datetime import date

    from sti.projects.models import Task

    task = Task.objects.create(
        code="ĐT-IP-01",
        title="Chọn tạo giống lúa thơm",
        host=org_a,
        level=city_level,
        status="accepted",
        planned_start=date(2023, 1, 1),
        planned_end=date(2024, 12, 31),
    )
    make_filing(title="Giống lúa thơm CT-Đ1", kind=IPKind.PLANT_VARIETY, task=task)
    client = client_for(reporter_a)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Giống lúa thơm CT-Đ1" in page and f"/so-huu-tri-tue/them/?task={task.pk}" in page
    form = client.get(f"/so-huu-tri-tue/them/?task={task.pk}").context["form"]
    assert form.initial == {"task_code": "ĐT-IP-01", "applicant_organization": org_a.pk}
    response = client.post(
        "/so-huu-tri-tue/them/",
        {
            "kind": IPKind.PATENT,
            "title": "Quy trình ủ phân",
            "applicant_organization": org_a.pk,
            "task_code": "ĐT-IP-01",
            "status": FilingStatus.FILED,
        },
    )
    assert response.status_code == 302
    assert set(task.ip_filings.values_list("title", flat=True)) == {
        "Giống lúa thơm CT-Đ1",
        "Quy trình ủ phân",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"year": "0"},
        {"year": "-1"},
        {"granted_year": "99999999999999999999"},
        {"task": "99999999999999999999"},
    ],
)
def test_out_of_range_filters_are_refused_not_a_server_error(client, make_filing, params):
    make_filing()
    assert client.get("/so-huu-tri-tue/", params).status_code == 200
    assert client.get("/so-huu-tri-tue/xuat.csv", params).status_code < 500
    assert client.get("/api/ip/filings", params).status_code in (400, 422)


@pytest.mark.parametrize("start", ["0", "2024", "20240101", "2024-13-01"])
def test_totals_take_dates_as_written(db, client, start):
    assert client.get("/api/ip/totals", {"start": start}).status_code == 422
    assert client.get("/api/ip/totals", {"start": "2024-01-01"}).status_code == 200
