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


def test_more_indexed_than_stored_is_a_warning(search_index, run_on_commit):
    from sti.core import registries as health
    from sti.directory.models import Organization
    from sti.search.health import search_index

    with run_on_commit():
        org = Organization.objects.create(name="Sẽ bị xóa", kind="other")
    org.delete()  # outside run_on_commit the index task never runs: the index keeps it
    check = next(c for c in search_index() if "Tổ chức" in c.label)
    assert check.state == health.WARNING


def test_status_command_prints_every_check(capsys):
    call_command("status")
    out = capsys.readouterr().out
    assert "Cơ sở dữ liệu" in out and "Tiến trình nền" in out
