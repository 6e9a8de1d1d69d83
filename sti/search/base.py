"""The search interface every backend implements, and the values that cross it.

Callers build `SearchDocument`s (through the registry) and `SearchQuery`s (through
`sti.search.services`); they never touch an engine client. A backend must pass the contract
suite in `sti/search/tests/contract.py`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = [
    "SearchDocument",
    "SearchQuery",
    "SearchHit",
    "FacetValue",
    "SearchResults",
    "SearchBackend",
    "SORT_RELEVANCE",
    "SORT_NEWEST",
    "SORT_OLDEST",
    "SORT_TITLE",
    "MAX_RESULT_WINDOW",
    "TextLoader",
    "REPLACE_ALL",
    "COUNT_LIMIT",
]

# `bulk_loader(REPLACE_ALL)`: the documents added replace the whole index (a full rebuild).
REPLACE_ALL = "*"
SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_OLDEST = "oldest"
SORT_TITLE = "title"
# Backends return no hits past this many results (the total is still counted): deep pages
# cost memory in every engine, and nobody reads page 500.
MAX_RESULT_WINDOW = 10_000
# `SearchQuery.count_limit` by default: a backend may stop counting matches (and facet
# values) here and say so (`SearchResults.total_is_lower_bound`). The PostgreSQL backend reads
# a row per match it counts: 1,000 keeps a broad query's count near 10 ms at 300,000
# records (10,000: 55–145 ms on the shared 2-core machine; docs/benchmarks.md).
COUNT_LIMIT = 1_000
# uids ("type:pk") → the body each record is indexed with, read from the database: engines
# that store only an excerpt of long bodies take snippets past it from here (a missing uid
# keeps the excerpt's snippet). `engine.get_backend` passes `registry.full_texts`.
TextLoader = Callable[[Sequence[str]], dict[str, str]]


@dataclass
class SearchDocument:
    """One record as the index sees it.

    `principals` lists who may see the record ("public", "registered", "staff", "org:<id>",
    "user:<id>"); `available_from` hides it from non-staff until that moment (embargoes).
    `tags` are extra facet values as (name, value) pairs, e.g. ("collection", "5").
    `created` is when the record was listed on the platform (its publication, else its
    creation; `IndexSpec.document_for` fills it from the model when `to_document` does not):
    saved-search digests and feeds ask for the records listed since a moment.
    """

    type: str
    pk: str
    title: str
    body: str = ""
    url: str = ""
    subtitle: str = ""
    fields: Sequence[str] = ()
    year: int | None = None
    date: date | datetime | None = None
    tags: Sequence[tuple[str, str]] = ()
    principals: Sequence[str] = ("public",)
    available_from: date | datetime | None = None
    created: date | datetime | None = None

    @property
    def uid(self) -> str:
        return f"{self.type}:{self.pk}"


@dataclass
class SearchQuery:
    """What to look for. An empty `text` matches everything (browse mode).

    `filters` maps a facet name ("type", "field", "year" or a tag name) to the accepted
    values; values of one name are OR-ed, names are AND-ed. `principals=None` means an
    unrestricted (staff) search.

    `created_after`/`created_until` keep the records that became visible to the searcher in
    that window (after the first moment, up to and including the second): listed then
    (`SearchDocument.created`), or, for a restricted search, listed earlier under an embargo
    that lifted then. A record without a `created` moment is never in a window.

    `expansions` (`sti.core.expansion.Expansion`) are other words for the query's words
    (thesaurus): each matches as an optional clause at its weight below the typed word's.
    `services.search` fills them from `sti.core.expansion.expansions(text)` when the caller
    gave none; quoted phrases are never expanded.

    `count_limit`: the backend may count the matches, and the facet values, only up to this
    many matches (the PostgreSQL backend does: an exact count of a broad query reads every
    match); the results then say `total_is_lower_bound`. None asks for exact counts (figures
    pages, per-collection counts).
    """

    text: str = ""
    filters: dict[str, Sequence[str]] = field(default_factory=dict)
    principals: Sequence[str] | None = ("public",)
    facets: Sequence[str] = ()
    sort: str = SORT_RELEVANCE
    offset: int = 0
    limit: int = 10
    highlight: bool = True
    year_from: int | None = None
    year_to: int | None = None
    created_after: datetime | None = None
    created_until: datetime | None = None
    expansions: Sequence[Any] = ()
    count_limit: int | None = COUNT_LIMIT


@dataclass
class SearchHit:
    type: str
    pk: str
    title: str
    url: str
    subtitle: str
    score: float
    year: int | None
    fields: list[str]
    title_html: str
    snippet_html: str
    # Labelled parts a results page shows under the title (e.g. authors, abstract, keywords),
    # filled from the database by the type's `IndexSpec.describe` (`services.describe`).
    details: dict = field(default_factory=dict)
    created: datetime | None = None  # when the record was listed (SearchDocument.created)


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False
    label: str = ""


@dataclass
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    query: SearchQuery
    elapsed_ms: float = 0.0
    # The backend stopped counting at `query.count_limit`: `total` (and the facet counts,
    # taken over the first `total` matches) are lower bounds; pages show "10.000+".
    total_is_lower_bound: bool = False

    @property
    def page(self) -> int:
        return self.query.offset // max(self.query.limit, 1) + 1

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // max(self.query.limit, 1)))


class SearchBackend(abc.ABC):
    """An engine behind our interface. Instances are process-wide and thread-safe."""

    # Where snippets past a stored excerpt come from (see `TextLoader`); None: none.
    full_texts: TextLoader | None = None
    # Whether a word's weight follows its rarity in the index (inverse document frequency):
    # tantivy's BM25 does; PostgreSQL's ts_rank does not.
    ranks_by_rarity: bool = True

    @abc.abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents (by uid); commit; return how many were written."""

    @abc.abstractmethod
    def delete(self, uids: Iterable[str]) -> None:
        """Remove documents by uid ("type:pk"); unknown uids are ignored."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query with filters, facets, highlights and pagination."""

    @abc.abstractmethod
    def more_like_this(
        self,
        type: str,
        pk: str,
        *,
        principals: Sequence[str] | None,
        limit: int = 5,
        types: Sequence[str] | None = None,
    ) -> list[SearchHit]:
        """Records similar to the given one, excluding itself."""

    @abc.abstractmethod
    def clear(self, type: str | None = None) -> None:
        """Remove every document, or every document of one type."""

    @abc.abstractmethod
    def count(self, type: str | None = None) -> int:
        """Number of documents, or of one type."""

    @abc.abstractmethod
    def present(self, uids: Iterable[str]) -> set[str]:
        """Which of these uids ("type:pk") the index holds (for the coverage check)."""

    def bulk_loader(self, replace: str | None = None):
        """A context manager yielding `add(document)`, for rebuilding large indexes fast.

        With `replace`, the documents added replace every document of that type, or the
        whole index with `REPLACE_ALL`. Engines override this to do it in one commit
        (searches see the old documents until the new ones are all in, and an error leaves
        the old ones in place); the default clears the type first and adds in batches
        through `index`.
        """
        from contextlib import contextmanager

        @contextmanager
        def loader():
            batch: list[SearchDocument] = []
            if replace is not None:
                self.clear(None if replace == REPLACE_ALL else replace)

            def add(document: SearchDocument) -> None:
                batch.append(document)
                if len(batch) >= 1000:
                    self.index(batch)
                    batch.clear()

            yield add
            if batch:
                self.index(batch)

        return loader()
