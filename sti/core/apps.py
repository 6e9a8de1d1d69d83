from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sti.core"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        from sti.core import registries as r

        r.register_menu_entry(r.EDITOR_TOOLS, _("Nhật ký thao tác"), "core:audit", order=900)
        r.register_menu_entry(r.EDITOR_TOOLS, _("Công việc nền"), "core:jobs", order=905)
