"""A page refused to an anonymous visitor sends them to the login page (and back with
`?next=`); a signed-in user without the role gets 403; the API keeps answering in JSON."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path
from ninja import NinjaAPI

from sti.core.api import install_error_handlers
from sti.core.testing import LOGIN, assert_refused

pytestmark = pytest.mark.django_db


def own_check(request):
    """A view refusing by its own rule (not `editor_required`), as a service would."""
    if not getattr(request.user, "is_editor", False):
        raise PermissionDenied
    return HttpResponse("ok")


api = NinjaAPI(urls_namespace="test-login-for-anonymous")
install_error_handlers(api)


@api.get("/refused")
def refused(request):
    raise PermissionDenied


urlpatterns = [
    path("rieng/", own_check),
    path("api/", api.urls),
    path("tai-khoan/", include("sti.accounts.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_anonymous_is_sent_to_login_and_back(client_for):
    response = client_for(None).get("/rieng/?trang=2")
    assert_refused(response, LOGIN)
    assert response["Location"].endswith("?next=/rieng/%3Ftrang%3D2")


@override_settings(ROOT_URLCONF=__name__)
def test_signed_in_without_the_role_gets_403(client_for, registered, editor):
    assert_refused(client_for(registered).get("/rieng/"), 403)
    assert client_for(editor).get("/rieng/").status_code == 200


@override_settings(ROOT_URLCONF=__name__)
def test_an_htmx_request_reloads_the_whole_page_on_the_login(client_for):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/trang/?q=l%C3%BAa"}
    response = client_for(None).get("/rieng/", headers=headers)
    assert response.status_code == 200
    assert response["HX-Redirect"].endswith("?next=/trang/%3Fq%3Dl%25C3%25BAa")


@override_settings(ROOT_URLCONF=__name__)
def test_the_api_still_answers_403_in_json(client_for):
    response = client_for(None).get("/api/refused")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_real_editor_page_and_the_real_api(client_for, registered):
    page = client_for(None).get("/nhat-ky/")
    assert_refused(page, LOGIN)
    assert_refused(client_for(registered).get("/nhat-ky/"), 403)
    # Writing through the API without a token is 401, never the login page.
    answer = client_for(None).post(
        "/api/directory/organizations", {}, content_type="application/json"
    )
    assert answer.status_code == 401 and answer["Content-Type"].startswith("application/json")
