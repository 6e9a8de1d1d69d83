from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sti.search"
    verbose_name = _("Tìm kiếm")

    def ready(self) -> None:
        # Each app declares what it indexes in its own search.py.
        autodiscover_modules("search")
