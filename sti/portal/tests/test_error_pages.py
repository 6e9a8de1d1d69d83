"""404, 403 and 500 pages in the site's layout, in Vietnamese (English when switched)."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from sti.portal.views import server_error

pytestmark = pytest.mark.django_db


def test_not_found_page_is_in_the_layout_and_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and 'name="q"' in html and "Not Found" not in html


def test_forbidden_page(client_for, registered):
    response = client_for(registered).get("/viec-can-lam/")
    assert response.status_code == 403
    assert "Bạn không có quyền truy cập" in response.content.decode()


def test_pages_follow_the_chosen_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html


def test_server_error_page(db):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("vi"):  # no middleware here: choose the language ourselves
        response = server_error(request)
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.content.decode()


def test_the_footer_names_the_center_on_every_page_including_login(client, settings):
    settings.SITE_OWNER = "Sở KH&CN tỉnh Thử Nghiệm"
    for url in ("/", "/tai-khoan/dang-nhap/", "/khong-co-trang-nay/"):
        html = client.get(url).content.decode()
        assert "Trung tâm Thông tin KH&amp;CN TP. Cần Thơ" in html, url
        assert "Sở KH&amp;CN tỉnh Thử Nghiệm" in html, url
        assert "testserver</strong>" not in html, url
