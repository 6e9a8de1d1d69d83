"""Explained technology matching (issue 12, items 4–5): a demand written in farmers' words
against offers, completed tasks, library documents and experts written in technical words,
and an offer against the demands it could serve.

The API, for pages, the API router and the worker::

    from sti.market.matching import match_demand, match_offer

    for match in match_demand(demand, user=request.user, limit=10):
        match.kind         # "offer", "task", "document" or "expert"
        match.object_id    # the record's primary key
        match.title, match.url
        match.score        # ≥ THRESHOLD (below it there is no match: an empty list)
        match.reasons      # the explanation, one translated sentence per reason
        match.shared       # words the demand and the record share
        match.expanded     # ExpandedTerm(term, alternative, source, relation, weight):
                           #   source "thesaurus" (common ↔ scientific names, regional
                           #   words, symptom → cause) or "corpus" (feedback from the
                           #   nearest documents, tasks and offers; relation = their titles)
        match.field_fit, match.trl_fit, match.budget_fit

    match_demand(demand, user=..., kinds=("offer",))   # one kind only (default: all four)
    match_offer(offer, user=..., limit=10)             # the demands the offer could serve

`demand` / `offer` are model instances or plain `Query` objects. Every match is a record
`user` may open (each model's `visible_to(user)`; offers only when published), and an offer
is matched and explained through its public title and summary only: its confidential detail
never enters the matrix, a score or an explanation.

The engine itself (`engine.Matcher`) works on plain records (`records.Record`,
`records.Query`) and is what the tests and `bench/matching.py` measure on the labelled set in
`data/`. The matrix is the shared similarity engine's (`sti.core.similarity`), corpus
`market-matching` (`corpus.py`), rebuilt by the worker (`tasks.rebuild_matching`).

New matches above the threshold are e-mailed to the parties by the worker
(`jobs.notify_new_matches`, wrapped by `tasks.notify_new_matches`, enqueued every
`jobs.NOTICE_PERIOD_SECONDS` by the periodic work `register()` declares): the requester of a
demand about offers published since the previous run, the contact of a new offer about the
open demands it could serve. `register()` is called from `MarketConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sti.market.matching.records import ExpandedTerm, FieldFit, Fit, Match, Query, Record

if TYPE_CHECKING:
    from sti.market.matching.engine import FieldModel, Matcher

__all__ = [
    "ALL_KINDS",
    "THRESHOLD",
    "ExpandedTerm",
    "FieldFit",
    "Fit",
    "Match",
    "Matcher",
    "Query",
    "Record",
    "demand_query",
    "match_demand",
    "match_offer",
    "matcher_for",
    "offer_query",
    "register",
]

ALL_KINDS = ("offer", "task", "document", "expert")
_fields: dict = {}


def __getattr__(name):
    # The engine loads numpy and scikit-learn: only when matching, not at start-up.
    if name in ("Matcher", "FieldModel", "THRESHOLD"):
        from sti.market.matching import engine

        return getattr(engine, name)
    raise AttributeError(name)


def register() -> None:
    """Declare the corpus and the periodic e-mails (from `MarketConfig.ready()`)."""
    from sti.core import registries
    from sti.market.matching.corpus import corpus
    from sti.market.matching.jobs import NOTICE_PERIOD_SECONDS

    corpus()
    registries.register_periodic(
        "market.match_notices",
        "sti.market.matching.periodic.enqueue_notices",
        every_seconds=NOTICE_PERIOD_SECONDS,
    )


def demand_query(demand) -> Query:
    if isinstance(demand, Query):
        return demand
    return Query(
        text=f"{demand.description}\n{demand.requirements}".strip(),
        title=demand.title,
        field=demand.field.code if demand.field_id else "",
        trl=demand.trl_wanted,
        budget_min=demand.budget_min_vnd,
        budget_max=demand.budget_max_vnd,
    )


def offer_query(offer) -> Query:
    """An offer as a query: its public part only (never `detail`)."""
    if isinstance(offer, Query):
        return offer
    return Query(
        text=offer.summary,
        title=offer.title,
        field=offer.field.code if offer.field_id else "",
        price=offer.price_vnd,
    )


def matcher_for(user) -> Matcher:
    """A matcher over the corpus matrix that only ever looks up what `user` may see."""
    from sti.market.matching.corpus import codes, corpus, lookup_for
    from sti.market.matching.engine import Matcher

    index = corpus().get_index()
    fields = _fields.get(index.directory.name)
    if fields is None:
        fields = _field_model(index)
        _fields.clear()
        _fields[index.directory.name] = fields
    return Matcher(index, lookup_for(user), fields=fields, codes=codes())


def _field_model(index) -> FieldModel:
    """Field centroids from published offers and open demands that state their field."""
    from sti.market.matching.corpus import _open_demands, _published_offers
    from sti.market.matching.engine import FieldModel

    records = [
        Record("offer", pk, title, summary, code)
        for pk, title, summary, code in _published_offers()
        .exclude(field=None)
        .values_list("pk", "title", "summary", "field__code")[:5000]
    ]
    records += [
        Record("demand", pk, title, description, code)
        for pk, title, description, code in _open_demands()
        .exclude(field=None)
        .values_list("pk", "title", "description", "field__code")[:5000]
    ]
    return FieldModel.from_records(index, records)


def match_demand(demand, *, user, limit: int = 10, kinds: Sequence[str] = ALL_KINDS) -> list[Match]:
    """Offers, completed tasks, documents and experts that could answer `demand`, best
    first, explained; only records `user` may open; empty when nothing is close enough.
    Raises `sti.core.similarity.IndexNotReady` while the worker builds the matrix."""
    from sti.market.matching.corpus import codes

    exclude = []
    if not isinstance(demand, Query) and demand.pk:
        exclude.append((codes()["demand"], demand.pk))
    return matcher_for(user).match(demand_query(demand), kinds=kinds, limit=limit, exclude=exclude)


def match_offer(offer, *, user, limit: int = 10) -> list[Match]:
    """The open demands `offer` could serve, best first, explained (its public part only)."""
    from sti.market.matching.corpus import codes

    exclude = []
    if not isinstance(offer, Query) and offer.pk:
        exclude.append((codes()["offer"], offer.pk))
    return matcher_for(user).match(
        offer_query(offer), kinds=("demand",), limit=limit, exclude=exclude
    )
