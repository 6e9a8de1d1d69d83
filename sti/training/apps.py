from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REMINDER_PERIOD_SECONDS = 3600


def _learners_this_year(user) -> int:
    from sti.training.services import learners_this_year

    return learners_this_year(user)


class TrainingConfig(AppConfig):
    name = "sti.training"
    verbose_name = _("Đào tạo, tập huấn")

    def ready(self) -> None:
        from sti.core import registries as r

        r.register_urls("dao-tao/", "sti.training.urls")
        r.register_menu_entry(r.MAIN_MENU, _("Đào tạo"), "training:course_list", order=60)
        r.register_menu_entry(
            r.USER_MENU, _("Khóa học đã đăng ký"), "training:my_registrations", order=60
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Thống kê đào tạo"), "training:statistics", order=60
        )
        r.register_home_figure(
            "learners_this_year",
            _("học viên các khóa đào tạo năm nay"),
            _learners_this_year,
            "training:course_list",
            order=60,
        )
        r.register_api_router("/training/", "sti.training.api.router")
        r.register_periodic(
            "training.reminders",
            "sti.training.jobs.send_due_reminders",
            every_seconds=REMINDER_PERIOD_SECONDS,
        )
        r.register_sample_data(self.label, load="sti.training.sample.load_sample")
        # News articles and periodical issues may point to a course (only to those the
        # reader may see: the course's own access rule decides).
        r.register_linkable(
            "course",
            "training.Course",
            _("Khóa đào tạo"),
            date_field="created_at",
            describe="sti.training.links.describe_course",
            order=40,
        )
