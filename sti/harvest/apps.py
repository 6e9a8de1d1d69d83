from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestConfig(AppConfig):
    name = "sti.harvest"
    verbose_name = _("Mạng lưới thông tin KH&CN vùng")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.harvest import health, services

        r.register_menu_entry(r.MAIN_MENU, _("Mục lục liên hợp"), "harvest:union", order=15)
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Nguồn thu thập OAI-PMH"), "harvest:source_list", order=60
        )
        r.register_urls("mang-luoi/", "sti.harvest.urls")
        r.register_status_check(health.sources, order=70)
        r.register_periodic("harvest.due", services.harvest_due, every_seconds=300)
        r.register_periodic(
            "harvest.local_documents", "sti.harvest.jobs.match_local_documents", every_seconds=300
        )
        r.register_related(
            "library.document",
            "harvest.also_at",
            _("Cũng có tại"),
            "sti.harvest.search.related_also_at",
            order=90,
        )
        r.register_sample_data(
            self.label,
            load="sti.harvest.sample.load_sample",
            generate="sti.harvest.sample.generate",
        )
