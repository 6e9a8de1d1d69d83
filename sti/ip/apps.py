"""How the IP register plugs itself into the platform (CONTRIBUTING.md, "Adding an app")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _granted(user) -> int:
    from sti.ip.services import granted_count

    return granted_count(user)


class IpConfig(AppConfig):
    name = "sti.ip"
    label = "ip"
    verbose_name = _("Sở hữu trí tuệ")

    def ready(self) -> None:
        from sti.core import registries as r

        r.register_urls("so-huu-tri-tue/", "sti.ip.urls")
        r.register_menu_entry(r.MAIN_MENU, _("Sở hữu trí tuệ"), "ip:filing_list", order=25)
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Nhập đơn sở hữu trí tuệ từ bảng tính"), "ip:import_upload", order=55
        )
        r.register_home_figure(
            "ip_grants",
            _("văn bằng sở hữu trí tuệ"),
            _granted,
            "ip:filing_list",
            query="status=granted",
            order=35,
        )
        r.register_api_router("/ip/", "sti.ip.api.router")
        r.register_related(
            "projects.task", "ip.task_filings", _("Tài sản trí tuệ"), "sti.ip.related.task_filings"
        )
        r.register_related(
            "directory.organization",
            "ip.organization_filings",
            _("Đơn sở hữu trí tuệ"),
            "sti.ip.related.organization_filings",
            order=40,
        )
        r.register_sample_data(
            self.label, load="sti.ip.sample.load_sample", generate="sti.ip.sample.generate"
        )
