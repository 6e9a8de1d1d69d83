import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_status_page_compares_index_with_database(client_for, editor, run_on_commit):
    from sti.directory.models import Organization

    with run_on_commit():
        Organization.objects.create(name="Viện Kinh tế – Xã hội TP. Cần Thơ", kind="institute")
    Organization.objects.create(name="Chưa lập chỉ mục", kind="other")  # its index task never runs
    page = client_for(editor).get("/trang-thai-he-thong/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 trong chỉ mục / 2 trong cơ sở dữ liệu" in html
    assert "Cơ sở dữ liệu" in html and "OCR" in html


def test_status_page_is_for_editors_only(client_for, registered):
    assert client_for(registered).get("/trang-thai-he-thong/").status_code == 403
    assert client_for(None).get("/trang-thai-he-thong/").status_code == 302


def test_a_document_left_over_in_the_index_is_an_error(search_index, run_on_commit):
    from sti.core import registries as health
    from sti.directory.models import Organization
    from sti.search.health import search_index

    with run_on_commit():
        org = Organization.objects.create(name="Sẽ bị xóa", kind="other")
    org.delete()  # outside run_on_commit the index task never runs: the index keeps it
    check = next(c for c in search_index() if "Tổ chức" in c.label)
    assert check.state == health.ERROR and "thừa 1" in check.detail
    assert check.repair_command == "sti reindex organization"


def test_missing_records_are_an_error_with_a_one_click_repair(
    client_for, editor, registered, member_a, org_a, run_on_commit
):
    from sti.directory.models import Organization
    from sti.library.models import Document

    missing = Organization.objects.create(name="Chưa lập chỉ mục", kind="other")
    # A rejected deposit, kept out of the index on purpose, is not "missing".
    Document.objects.create(title="Bị từ chối", source_type="report", status="rejected")
    html = client_for(editor).get("/trang-thai-he-thong/").content.decode()
    # org_a came from a fixture, outside run_on_commit: it is missing too.
    assert f"thiếu 2 bản ghi ({org_a.pk}, {missing.pk})" in html
    assert 'action="/tim-kiem/lap-lai-chi-muc/organization/"' in html
    assert 'action="/tim-kiem/lap-lai-chi-muc/document/"' not in html
    repair = "/tim-kiem/lap-lai-chi-muc/organization/"
    for refused in (registered, member_a):
        assert client_for(refused).post(repair).status_code == 403
    assert client_for(None).post(repair).status_code == 302
    assert client_for(editor).get(repair).status_code == 405
    assert client_for(editor).post("/tim-kiem/lap-lai-chi-muc/khong-co/").status_code == 404
    with run_on_commit():
        response = client_for(editor).post(repair, {"next": "/trang-thai-he-thong/"})
    assert response.status_code == 302 and response["Location"] == "/trang-thai-he-thong/"
    html = client_for(editor).get("/trang-thai-he-thong/").content.decode()
    assert "thiếu" not in html
    assert "2 trong chỉ mục / 2 trong cơ sở dữ liệu" in html


def test_status_command_prints_every_check(capsys):
    call_command("status")
    out = capsys.readouterr().out
    assert "Cơ sở dữ liệu" in out and "Tiến trình nền" in out


def test_the_file_storage_check_names_the_folder_or_the_bucket(
    client_for, editor, registered, settings, s3_server
):
    from sti.portal import health

    local = health.file_storage()
    assert local.state == "ok" and str(settings.MEDIA_ROOT) in local.detail
    bucket = s3_server.create_bucket("sti-test-status")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_entry(bucket)}
    html = client_for(editor).get("/trang-thai-he-thong/").content.decode()
    assert f"kho S3 {bucket} ({s3_server.endpoint_url})" in html
    assert health.file_storage().state == "ok"
    assert client_for(registered).get("/trang-thai-he-thong/").status_code == 403
    # A bucket that does not exist (or refuses the keys) is an error on the status page.
    missing = s3_server.storage_entry("sti-test-no-such-bucket")
    settings.STORAGES = {**settings.STORAGES, "default": missing}
    check = health.file_storage()
    assert check.state == "error" and "404" in check.detail


def test_the_repair_is_a_tracked_job_and_is_not_queued_twice(client_for, editor, run_on_commit):
    from sti.core.choices import JobState
    from sti.core.models import TrackedJob

    repair = "/tim-kiem/lap-lai-chi-muc/organization/"
    # Without the commit the job stays queued: a second click does not queue another one.
    client_for(editor).post(repair)
    page = client_for(editor).post(repair, follow=True).content.decode()
    assert "đang được lập lại" in page
    assert TrackedJob.objects.filter(kind="search.reindex.organization").count() == 1
    TrackedJob.objects.all().delete()
    with run_on_commit():
        client_for(editor).post(repair)
    job = TrackedJob.objects.get(kind="search.reindex.organization")
    assert job.state == JobState.DONE and job.requested_by == editor
