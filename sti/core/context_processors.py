from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def _menu() -> list[dict]:
    items = [
        (_("Thư viện số"), "library:index"),
        (_("Nhiệm vụ KH&CN"), "projects:index"),
        (_("Tổ chức"), "directory:organization_list"),
        (_("Nhà khoa học"), "directory:researcher_list"),
    ]
    menu = []
    for label, name in items:
        try:
            url = reverse(name)
        except Exception:  # an app that is not installed in this deployment
            continue
        menu.append({"label": label, "url": url, "prefix": url, "prefix_len": f":{len(url)}"})
    return menu


def site(request) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "site_short_name": _("Thông tin KH&CN Cần Thơ"),
        "main_menu": _menu(),
    }
