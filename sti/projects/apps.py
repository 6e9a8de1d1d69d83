from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sti.projects"
    verbose_name = _("Nhiệm vụ KH&CN")

    def ready(self) -> None:
        from sti.core.similarity import register
        from sti.projects.similarity import duplicates

        register(duplicates)
