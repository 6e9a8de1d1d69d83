from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """The top floor beside the portal: leader dashboards and reports, computed from the
    records through the domain apps' named report methods; it never writes domain rows."""

    name = "sti.analytics"
    verbose_name = _("Phân tích cho lãnh đạo")

    def ready(self) -> None:
        from sti.analytics import catalogue
        from sti.analytics.reports import setup as reports
        from sti.core import registries as r

        catalogue.register_all()
        r.register_urls("phan-tich/", "sti.analytics.urls")
        r.register_api_router("/analytics/", "sti.analytics.api.router")
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Phân tích cho lãnh đạo"), "analytics:dashboard", order=5
        )
        reports.register()
