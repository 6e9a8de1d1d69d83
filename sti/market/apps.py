"""How the technology exchange plugs itself into the platform (CONTRIBUTING.md, "Adding an app")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "sti.market"
    label = "market"
    verbose_name = _("Sàn giao dịch công nghệ")
