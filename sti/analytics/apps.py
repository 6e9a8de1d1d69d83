from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """The top floor beside the portal: leader dashboards and generated reports, computed from
    the records through the domain apps' named report methods; it never writes domain rows."""

    name = "sti.analytics"
    verbose_name = _("Phân tích cho lãnh đạo")

    def ready(self) -> None:
        from sti.analytics.reports import setup as reports

        reports.register()
