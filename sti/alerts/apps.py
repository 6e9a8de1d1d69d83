from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "sti.alerts"
    verbose_name = _("Thông báo tin mới (phổ biến thông tin chọn lọc)")

    def ready(self) -> None:
        from sti.core import registries as r

        r.register_urls("thong-bao/", "sti.alerts.urls")
        r.register_menu_entry(r.USER_MENU, _("Thông báo của tôi"), "alerts:index", order=20)
        r.register_periodic(
            "alerts.digests",
            _("Gửi thư thông báo tin mới"),
            "sti.alerts.tasks.send_due_digests",
            every=settings.STI_ALERTS_CHECK_SECONDS,
        )
