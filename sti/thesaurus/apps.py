"""How the thesaurus plugs itself in: its pages and menu entries, and its expander in the
shared query-expansion registry that search, the duplicate check and technology matching
ask (`sti.core.expansion`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThesaurusConfig(AppConfig):
    name = "sti.thesaurus"
    verbose_name = _("Từ điển đồng nghĩa")

    def ready(self) -> None:
        from sti.core import expansion
        from sti.core import registries as r
        from sti.thesaurus import expander

        r.register_urls("tu-dien-dong-nghia/", "sti.thesaurus.urls")
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Từ điển đồng nghĩa"), "thesaurus:concept_list", order=95
        )
        expansion.register_expander(expander.SOURCE, expander.expand)
