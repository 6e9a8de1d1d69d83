"""The matching corpus on the shared similarity engine, and the database look-up of matches.

The matrix holds the public text of every candidate whatever its visibility (published
offers: title and public summary, never the confidential detail; demands; completed tasks
with their results; live library documents; experts' expertise): who may see a match is
decided when it is looked up, through each model's `visible_to(user)`, so a record the user
cannot open never reaches a score shown to them, an explanation, or a feedback term.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from sti.core.similarity import Corpus, ModelSource
from sti.core.similarity import registry as similarity_registry
from sti.market.matching.records import Record

NAME = "market-matching"
KINDS = ("offer", "demand", "task", "document", "expert")


def _published_offers():
    from sti.market.models import Offer

    return Offer.objects.published()


def _open_demands():
    from sti.market.models import PUBLIC_DEMAND_STATES, Demand

    return Demand.objects.filter(state__in=PUBLIC_DEMAND_STATES)


def _completed_tasks():
    from sti.projects.choices import COMPLETED_STATES

    return apps.get_model("projects", "Task").objects.filter(status__in=COMPLETED_STATES)


def _live_documents():
    return apps.get_model("library", "Document").objects.live()


def _experts():
    return apps.get_model("directory", "Researcher").objects.experts().exclude(expertise="")


def _build_corpus() -> Corpus:
    return Corpus(
        name=NAME,
        label=_("Kết nối cung – cầu công nghệ"),
        sources=[
            # Order = kind codes of the matrix (see `codes()`); public fields only.
            ModelSource(
                "offer", "market.Offer", {"title": 2, "summary": 1}, queryset=_published_offers
            ),
            ModelSource(
                "demand", "market.Demand", {"title": 2, "description": 1}, queryset=_open_demands
            ),
            ModelSource(
                "task",
                "projects.Task",
                {"title": 2, "objectives": 1, "abstract": 1},
                queryset=_completed_tasks,
            ),
            ModelSource(
                "document",
                "library.Document",
                {"title": 2, "abstract": 1},
                queryset=_live_documents,
            ),
            ModelSource(
                "expert",
                "directory.Researcher",
                {"expertise": 2},
                title_field="full_name",
                queryset=_experts,
            ),
        ],
        rebuild_task="sti.market.matching.tasks.rebuild_matching",
    )


def corpus() -> Corpus:
    """The registered corpus (registered on first use: any process that matches has it)."""
    try:
        return similarity_registry.get_corpus(NAME)
    except LookupError:
        found = _build_corpus()
        try:
            similarity_registry.register(found)
        except ValueError:  # another thread registered it meanwhile
            return similarity_registry.get_corpus(NAME)
        return found


def codes() -> dict[str, int]:
    return {kind: code for code, kind in enumerate(KINDS)}


def _field_code(obj) -> str:
    field = getattr(obj, "field", None)
    return field.code if field is not None else ""


def lookup_for(user):
    """A look-up of matrix keys → `Record`s of what `user` may see, in one query per kind."""
    from sti.market.models import Demand, Offer

    names = {code: kind for kind, code in codes().items()}

    def lookup(keys):
        wanted: dict[str, list[int]] = defaultdict(list)
        for code, pk in keys:
            wanted[names[code]].append(pk)
        out = {}
        if wanted["offer"]:
            offers = (
                Offer.objects.visible_to(user)
                .published()
                .filter(pk__in=wanted["offer"])
                .select_related("field")
                .only("pk", "title", "summary", "trl", "price_vnd", "field__code")
            )
            for offer in offers:
                out[(codes()["offer"], offer.pk)] = Record(
                    "offer",
                    offer.pk,
                    offer.title,
                    offer.summary,
                    _field_code(offer),
                    offer.trl,
                    offer.price_vnd,
                    offer.get_absolute_url(),
                )
        if wanted["demand"]:
            demands = (
                _open_demands()
                .filter(pk__in=Demand.objects.visible_to(user).values("pk"))
                .filter(pk__in=wanted["demand"])
                .select_related("field")
                .only("pk", "title", "description", "trl_wanted", "budget_max_vnd", "field__code")
            )
            for demand in demands:
                out[(codes()["demand"], demand.pk)] = Record(
                    "demand",
                    demand.pk,
                    demand.title,
                    demand.description,
                    _field_code(demand),
                    demand.trl_wanted,
                    demand.budget_max_vnd,
                    demand.get_absolute_url(),
                )
        if wanted["task"]:
            tasks = apps.get_model("projects", "Task").objects.visible_to(user)
            tasks = tasks.filter(pk__in=wanted["task"], status__in=_completed_states())
            for task in tasks.only("pk", "title", "objectives", "abstract"):
                out[(codes()["task"], task.pk)] = Record(
                    "task",
                    task.pk,
                    task.title,
                    f"{task.objectives}\n{task.abstract}".strip(),
                    url=task.get_absolute_url(),
                )
        if wanted["document"]:
            documents = apps.get_model("library", "Document").objects.visible_to(user).live()
            for document in documents.filter(pk__in=wanted["document"]).only(
                "pk", "title", "abstract"
            ):
                out[(codes()["document"], document.pk)] = Record(
                    "document",
                    document.pk,
                    document.title,
                    document.abstract,
                    url=document.get_absolute_url(),
                )
        if wanted["expert"]:
            experts = _experts().filter(
                pk__in=apps.get_model("directory", "Researcher")
                .objects.visible_to(user)
                .values("pk")
            )
            for expert in experts.filter(pk__in=wanted["expert"]):
                out[(codes()["expert"], expert.pk)] = Record(
                    "expert",
                    expert.pk,
                    str(expert),
                    expert.expertise,
                    url=expert.get_absolute_url(),
                )
        return out

    return lookup


def _completed_states():
    from sti.projects.choices import COMPLETED_STATES

    return COMPLETED_STATES
