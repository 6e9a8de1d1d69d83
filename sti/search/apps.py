from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sti.search"
    verbose_name = _("Tìm kiếm")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.search import health, signals
        from sti.search.registry import all_specs

        # Each app declares what it indexes in its own search.py; importing it registers the
        # specs, and only then are the save/delete signals connected, here and nowhere else.
        autodiscover_modules("search")
        for spec in all_specs():
            signals.connect(spec)
        r.register_urls("tim-kiem/", "sti.search.urls")
        r.register_api_router("/search/", "sti.search.api.router")
        r.register_status_check(health.search_index, order=20)
        r.register_periodic(
            "search-retry-lost-indexing", "sti.search.outbox.retry_lost_indexing", every_seconds=30
        )
