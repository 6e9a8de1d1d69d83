from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sti.core"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from sti.core import registries as r
        from sti.core.codelists import forget
        from sti.core.validators import use_our_nul_message

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(forget, dispatch_uid=f"codelists-forget-{id(signal)}")
        use_our_nul_message()

        # The anonymous page cache: every database write (any connection) and every changed
        # setting makes the kept pages stale.
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from sti.core import pagecache

        connection_created.connect(pagecache.watch_connection, dispatch_uid="pagecache-watch")
        setting_changed.connect(pagecache.forget_on_setting_change, dispatch_uid="pagecache-s")
        pagecache.watch_connection()
        # A running job's progress (once a second) and lease renewals would empty the cache
        # for the whole run; pages showing a job poll its state (htmx, never kept).
        from sti.core.models import TrackedJob

        pagecache.ignore_writes_to(TrackedJob)

        r.register_menu_entry(r.EDITOR_TOOLS, _("Nhật ký thao tác"), "core:audit", order=900)
        r.register_menu_entry(r.EDITOR_TOOLS, _("Công việc nền"), "core:jobs", order=905)
