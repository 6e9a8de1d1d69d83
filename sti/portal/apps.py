from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: home page, menus, editor's worklist, system status, demo loader."""

    name = "sti.portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.portal import checks, health  # noqa: F401 — checks registers itself

        r.register_status_check(health.database, order=10)
        r.register_status_check(health.file_storage, order=15)
        r.register_status_check(health.task_worker, order=30)
        r.register_status_check(health.tracked_jobs, order=31)
        r.register_status_check(health.disk_space, order=90)
        r.register_menu_entry(r.EDITOR_TOOLS, _("Trạng thái hệ thống"), "portal:status", order=910)
        # Accounts sit below core and cannot register themselves: their demo users are loaded
        # first all the same (sample data runs in INSTALLED_APPS order).
        r.register_sample_data("accounts", load="sti.accounts.sample.load_sample")
