from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sti.projects"
    verbose_name = _("Nhiệm vụ KH&CN")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.projects import worklist

        r.register_menu_entry(r.MAIN_MENU, _("Nhiệm vụ KH&CN"), "projects:index", order=20)
        r.register_menu_entry(
            r.USER_MENU, _("Đề xuất nhiệm vụ"), "projects:proposal_list", order=30
        )
        r.register_menu_entry(r.EDITOR_TOOLS, _("Thêm nhiệm vụ"), "projects:task_create", order=40)
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Nhập nhiệm vụ từ bảng tính"), "projects:import", order=50
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Ấn phẩm danh mục nhiệm vụ"), "projects:catalogue_list", order=60
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS,
            _("Bảng theo dõi đăng ký kết quả"),
            "projects:registration_board",
            order=70,
        )
        r.register_work_queue(
            "projects.flagged_proposals",
            _("Đề xuất nghi trùng lặp"),
            worklist.flagged_proposals,
            "projects:proposal_list",
            query="flagged=1",
            order=30,
        )
        r.register_work_queue(
            "projects.registrations_overdue",
            _("Đăng ký kết quả quá hạn"),
            worklist.overdue_registrations,
            "projects:registration_board",
            order=40,
            since_label=_("quá hạn"),
        )
        r.register_work_queue(
            "projects.registrations_due",
            _("Đăng ký kết quả sắp đến hạn"),
            worklist.upcoming_registrations,
            "projects:registration_board",
            order=50,
            since_label=_("đã nghiệm thu"),
        )
        r.register_urls("nhiem-vu/", "sti.projects.urls")
        r.register_api_router("/projects/", "sti.projects.api.router")
        rel = "sti.projects.related."
        r.register_related(
            "directory.researcher",
            "projects.led",
            _("Nhiệm vụ chủ nhiệm"),
            rel + "researcher_led",
            order=20,
        )
        r.register_related(
            "directory.researcher",
            "projects.joined",
            _("Nhiệm vụ tham gia"),
            rel + "researcher_joined",
            order=30,
        )
        r.register_related(
            "directory.organization",
            "projects.hosted",
            _("Nhiệm vụ chủ trì"),
            rel + "organization_hosted",
            order=20,
        )
        r.register_related(
            "library.document",
            "projects.document_tasks",
            _("Nhiệm vụ KH&CN"),
            rel + "document_tasks",
            order=5,
        )
        r.register_sample_data(
            self.label,
            load="sti.projects.sample.load_sample",
            generate="sti.projects.sample.generate",
        )

        from sti.core.similarity import register
        from sti.projects.similarity import duplicates

        register(duplicates)
