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


def _links(items) -> list[dict]:
    links = []
    for label, name in items:
        try:
            links.append({"label": label, "url": reverse(name)})
        except Exception:  # an app that is not installed in this deployment
            continue
    return links


def _user_menu(user) -> list[dict]:
    """The personal workspace: what a signed-in user files with the center."""
    if not user.is_authenticated:
        return []
    return _links(
        [
            (_("Tài liệu tôi đã nộp"), "library:my_deposits"),
            (_("Nộp tài liệu"), "library:deposit"),
            (_("Đề xuất nhiệm vụ"), "projects:proposal_list"),
        ]
    )


def _editor_menu(user) -> list[dict]:
    """The center staff's desk: review queues, boards and imports."""
    if not (user.is_authenticated and user.is_editor):
        return []
    return _links(
        [
            (_("Tài liệu chờ duyệt"), "library:review_queue"),
            (_("Tệp cần kiểm tra chất lượng"), "library:flagged_files"),
            (_("Thống kê sử dụng thư viện"), "library:usage_report"),
            (_("Nhập tài liệu hàng loạt"), "library:batch_import"),
            (_("Nhập biểu ghi MARC"), "library:marc_import"),
            (_("Thêm nhiệm vụ"), "projects:task_create"),
            (_("Bảng theo dõi đăng ký kết quả"), "projects:registration_board"),
            (_("Ấn phẩm danh mục nhiệm vụ"), "projects:catalogue_list"),
            (_("Nhập nhiệm vụ từ bảng tính"), "projects:import"),
            (_("Nhật ký thao tác"), "core:audit"),
            (_("Trạng thái hệ thống"), "core:status"),
        ]
    )


def site(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "site_short_name": _("Thông tin KH&CN Cần Thơ"),
        "main_menu": _menu(),
        "user_menu": _user_menu(user) if user else [],
        "editor_menu": _editor_menu(user) if user else [],
    }
