from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "sti.publishing"
    verbose_name = _("Xuất bản ấn phẩm")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.publishing import health

        r.register_status_check(health.pdf_output, order=50)
