"""The duplicate-check corpus (kiểm tra trùng lặp): every task (title, objectives, content)
and every live library document (title, abstract), matched against a proposal's text on the
shared engine in `sti.core.similarity`. Registered by `ProjectsConfig.ready()`.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from sti.core.similarity import Corpus, ModelSource

__all__ = ["KIND_DOCUMENT", "KIND_TASK", "duplicates"]

KIND_TASK, KIND_DOCUMENT = "task", "document"


def _live_documents():
    """Withdrawn library records are no longer candidates."""
    return apps.get_model("library", "Document").objects.live()


duplicates = Corpus(
    name="projects",
    label=_("Tra cứu trùng lặp"),
    sources=[
        # The title is repeated: it is the densest statement of what a record is about.
        ModelSource(KIND_TASK, "projects.Task", fields={"title": 2, "objectives": 1, "content": 1}),
        ModelSource(
            KIND_DOCUMENT,
            "library.Document",
            fields={"title": 2, "abstract": 1},
            queryset=_live_documents,
        ),
    ],
    threshold_setting="STI_DUPLICATE_THRESHOLD",
    # The worker's job also runs the checks of proposals submitted while the matrix was missing.
    rebuild_task="sti.projects.tasks.rebuild_similarity",
)
