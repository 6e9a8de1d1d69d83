"""The editor's menu offers only the pages its reader can open."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client):
    return client.get("/").context["editor_menu"]


def test_editor_who_is_not_staff_gets_no_admin_link(client_for, editor):
    menu = _menu(client_for(editor))
    assert [item["url"] for item in menu] == [reverse("portal:worklist")]
    # The link it would have shown is refused to this editor indeed (sent to the login).
    assert client_for(editor).get(reverse("admin:index")).status_code == 302


def test_superuser_gets_the_admin_link(client_for, admin_user):
    urls = [item["url"] for item in _menu(client_for(admin_user))]
    assert reverse("admin:index") in urls
    assert client_for(admin_user).get(reverse("admin:index")).status_code == 200


def test_plain_member_gets_no_editor_menu(client_for, member_a):
    assert _menu(client_for(member_a)) == []


def test_staff_without_model_permissions_gets_no_admin_link(client_for, editor):
    editor.is_staff = True
    editor.save()
    assert reverse("admin:index") not in [item["url"] for item in _menu(client_for(editor))]


def test_layout_links_follow_the_script_prefix(client):
    """The menu and layout addresses are reversed once, but per script prefix: a site served
    under a sub-path gets its own links, not the ones remembered for the root."""
    from django.urls import get_script_prefix, set_script_prefix

    from sti.portal.context_processors import LAYOUT_URLS, site

    request = client.get("/").wsgi_request
    at_root = site(request)
    assert at_root["layout_urls"] == {key: reverse(name) for key, name in LAYOUT_URLS.items()}
    previous = get_script_prefix()
    set_script_prefix("/kh-cn/")
    try:
        under = site(request)
    finally:
        set_script_prefix(previous)
    assert under["layout_urls"]["search"] == "/kh-cn" + at_root["layout_urls"]["search"]
    assert under["home_url"] == "/kh-cn/"
    assert [item["url"] for item in under["main_menu"]] == [
        "/kh-cn" + item["url"] for item in at_root["main_menu"]
    ]
