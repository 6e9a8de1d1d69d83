"""The site's navigation, built from the menu entries the apps register in their ready()."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from sti.core.registries import MAIN_MENU, USER_MENU, menu_entries

# The layout's own links (header, user menu, footer) as `{{ layout_urls.<key> }}`.
LAYOUT_URLS = {
    "search": "search:search",
    "set_language": "set_language",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "tokens": "accounts:tokens",
    "password_change": "accounts:password_change",
    "api": "api-1.0.0:openapi-view",
}


@functools.lru_cache(maxsize=256)
def _reversed(url_name: str, query: str, root: str, urlconf, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf) + (f"?{query}" if query else "")


def _url(url_name: str, query: str = "") -> str:
    """The address of a menu link, reversed once per URL configuration and script prefix
    (the layout asks for a dozen on every page; they never change while the site runs)."""
    return _reversed(url_name, query, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())


def _links(menu: str) -> list[dict]:
    return [
        {"label": entry.label, "url": _url(entry.url_name, entry.query)}
        for entry in menu_entries(menu)
    ]


def _main_menu() -> list[dict]:
    menu = []
    for link in _links(MAIN_MENU):
        url = link["url"]
        menu.append({**link, "prefix": url, "prefix_len": f":{len(url)}"})
    return menu


def _editor_menu(user) -> list[dict]:
    """The center staff's desk is one page: the worklist holds the queues and the tools."""
    if not (user.is_authenticated and user.is_editor):
        return []
    menu = [{"label": _("Việc cần làm"), "url": _url("portal:worklist")}]
    # Django's admin lets in active staff only (`AdminSite.has_permission`) and shows a staff
    # member without model permissions nothing: the link is offered to those it serves.
    if user.is_staff and (user.is_superuser or user.get_all_permissions()):
        menu.append({"label": _("Quản trị hệ thống"), "url": _url("admin:index")})
    return menu


def site(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_name": settings.SITE_NAME,
        # Views such as Django's login put their own `site_name` (the host and port) in the
        # context: the layout reads the center from these names, which nothing overrides.
        "center_name": settings.SITE_NAME,
        "center_owner": settings.SITE_OWNER,
        "center_address": settings.SITE_ADDRESS,
        "site_short_name": _("Thông tin KH&CN Cần Thơ"),
        "home_url": _url("portal:home"),
        "layout_urls": {key: _url(name) for key, name in LAYOUT_URLS.items()},
        "main_menu": _main_menu(),
        "user_menu": _links(USER_MENU) if signed_in else [],
        "editor_menu": _editor_menu(user) if user else [],
    }
