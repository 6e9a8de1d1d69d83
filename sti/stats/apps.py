from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REMINDER_PERIOD_SECONDS = 3600


def _my_reports(user) -> int:
    from sti.stats.models import Submission

    return Submission.objects.visible_to(user).count() if user.is_authenticated else 0


class StatsConfig(AppConfig):
    name = "sti.stats"
    verbose_name = _("Thống kê KH&CN")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.stats import prefill, worklist

        prefill.register_builtin()
        r.register_urls("thong-ke/", "sti.stats.urls")
        r.register_menu_entry(r.MAIN_MENU, _("Thống kê"), "stats:public_home", order=27)
        r.register_menu_entry(r.USER_MENU, _("Báo cáo thống kê"), "stats:my_submissions", order=70)
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Theo dõi báo cáo thống kê"), "stats:period_list", order=70
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Chế độ báo cáo thống kê"), "stats:regime_list", order=71
        )
        r.register_work_queue(
            "stats.submitted",
            _("Báo cáo thống kê chờ duyệt"),
            worklist.submitted,
            "stats:period_list",
            order=70,
        )
        r.register_api_router("/stats/", "sti.stats.api.router")
        r.register_sample_data(
            self.label, load="sti.stats.sample.load_sample", generate="sti.stats.sample.generate"
        )
        r.register_periodic(
            "stats.reminders",
            "sti.stats.jobs.send_due_reminders",
            every_seconds=REMINDER_PERIOD_SECONDS,
        )
