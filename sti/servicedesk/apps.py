from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "sti.servicedesk"
    label = "servicedesk"
    verbose_name = _("Dịch vụ KH&CN")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.servicedesk import worklist

        r.register_urls("yeu-cau-dich-vu/", "sti.servicedesk.urls")
        r.register_menu_entry(
            r.MAIN_MENU, _("Dịch vụ KH&CN"), "servicedesk:request_create", order=60
        )
        r.register_menu_entry(
            r.USER_MENU, _("Yêu cầu dịch vụ của tôi"), "servicedesk:request_list", order=60
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Thống kê dịch vụ KH&CN"), "servicedesk:statistics", order=60
        )
        r.register_work_queue(
            "servicedesk.unassigned",
            _("Yêu cầu dịch vụ mới, chưa phân công"),
            worklist.unassigned,
            "servicedesk:request_list",
            query="status=received",
            order=70,
            since_label=_("chờ từ"),
        )
        r.register_work_queue(
            "servicedesk.overdue",
            _("Yêu cầu dịch vụ quá hạn"),
            worklist.overdue,
            "servicedesk:request_list",
            query="overdue=true",
            order=71,
            since_label=_("quá hạn từ"),
        )
        r.register_api_router("/servicedesk/", "sti.servicedesk.api.router")
        r.register_sample_data(self.label, load="sti.servicedesk.sample.load_sample")
