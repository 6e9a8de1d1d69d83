from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _organizations(user) -> int:
    from sti.directory.models import Organization

    return Organization.objects.visible_to(user).active().count()


def _researchers(user) -> int:
    from sti.directory.models import Researcher

    return Researcher.objects.visible_to(user).count()


def _experts(user) -> int:
    from sti.directory.models import Researcher

    return Researcher.objects.visible_to(user).filter(is_expert=True).count()


class DirectoryConfig(AppConfig):
    name = "sti.directory"
    verbose_name = _("Danh bạ tổ chức và nhà khoa học")

    def ready(self) -> None:
        from sti.core import registries as r

        r.register_menu_entry(r.MAIN_MENU, _("Tổ chức"), "directory:organization_list", order=30)
        r.register_menu_entry(r.MAIN_MENU, _("Nhà khoa học"), "directory:researcher_list", order=40)
        r.register_home_figure(
            "organizations",
            _("tổ chức KH&CN đang hoạt động"),
            _organizations,
            "directory:organization_list",
            order=10,
        )
        r.register_home_figure(
            "researchers", _("nhà khoa học"), _researchers, "directory:researcher_list", order=20
        )
        r.register_home_figure(
            "experts",
            _("chuyên gia"),
            _experts,
            "directory:researcher_list",
            query="expert=1",
            order=30,
        )
        r.register_urls("danh-ba/", "sti.directory.urls")
        r.register_api_router("/directory/", "sti.directory.api.router")
        r.register_sample_data(
            self.label,
            load="sti.directory.sample.load_sample",
            generate="sti.directory.sample.generate",
        )
