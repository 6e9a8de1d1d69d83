import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.portal import health, worklist
from sti.portal.figures import key_figures


def home(request):
    return render(request, "portal/home.html", {"figures": key_figures(request.user)})


@editor_required
def editor_worklist(request):
    queues = worklist.queues_for(request.user)
    return render(
        request,
        "portal/worklist.html",
        {
            "queues": queues,
            "waiting": sum(queue["count"] for queue in queues),
            "tools": worklist.tools(),
        },
    )


@editor_required
def system_status(request):
    checks = health.all_checks()
    return render(
        request, "portal/status.html", {"checks": checks, "worst": health.worst_state(checks)}
    )


# ---------------------------------------------------------------------------
# Error pages in the site's layout and language (handler404/403/500 in sti/urls.py)
# ---------------------------------------------------------------------------
logger = logging.getLogger(__name__)


def _error(request, status: int, heading: str, explanation: str):
    context = {"status": status, "heading": heading, "explanation": explanation}
    return render(request, "portal/error.html", context, status=status)


def page_not_found(request, exception):
    return _error(
        request,
        404,
        _("Không tìm thấy trang"),
        _(
            "Trang hoặc hồ sơ này không có, đã bị xóa, hoặc bạn không có quyền xem. Hãy thử tìm kiếm."
        ),
    )


def permission_denied(request, exception):
    return _error(
        request,
        403,
        _("Bạn không có quyền truy cập"),
        _("Trang này dành cho vai trò khác. Nếu bạn cần quyền, hãy liên hệ Trung tâm."),
    )


def server_error(request):
    try:
        return _error(
            request,
            500,
            _("Hệ thống gặp sự cố"),
            _("Lỗi đã được ghi lại để xử lý. Xin thử lại sau ít phút."),
        )
    except Exception:  # the layout itself failed (database down): a page that cannot fail
        logger.exception("The error page could not be rendered")
        return HttpResponseServerError(
            "<!doctype html><meta charset=utf-8><title>500</title>"
            "<h1>Hệ thống gặp sự cố / Server error</h1><p>Xin thử lại sau. Please try again later.</p>"
        )
