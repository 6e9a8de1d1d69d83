"""The default search backend: tantivy, an embedded BM25 engine (Rust), one host.

Vietnamese behaviour: title and body are indexed twice, once exact (lower-cased, accents
kept) and once folded (accents removed, đ→d, by tantivy's `ascii_fold`). A query term runs
against both; exact matches get a higher boost, so for "đường" a record with "đường" ranks
above one with only "dương", while "duong" finds both.

tantivy allows one writer per index: writers are opened per batch and closed right after the
commit, retrying while another process (the worker, `sti reindex`) holds the lock.
Readers reload when the index's meta file changes (its modification time, checked at most
once per `RELOAD_CHECK_SECONDS`), so a web process sees the worker's commits.

Query words are cut and folded by the index's own analyzers, so a query and the text it
should match are always treated alike (ø, ß and æ fold as tantivy folds them).

Memory: the body is indexed whole (up to `INDEXED_BODY_CHARS`) but only its first
`EXCERPT_CHARS` are stored. A hit whose excerpt lacks some query word while its body goes on
takes its snippet from the record's text in the database (`full_texts`, one call for the
page's hits), so a match deep in a full text is still shown. A web process maps the stored
documents and, searching, soon holds most of them in memory: bodies stored there cost a
library of 300,000 full texts a few hundred megabytes per process, so none is stored
(measured with `bench/library.py`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from sti.core import pagecache
from sti.core.gcpause import fewer_collections
from sti.core.text import fold_lower, tokenize
from sti.search.backends.common import (
    BUILTIN_FACETS,
    PUBLIC,
    RESTRICTED,
    deep_snippets,
)
from sti.search.backends.common import EPOCH as _EPOCH
from sti.search.backends.common import INT_RANGE as _INT_RANGE
from sti.search.backends.common import TAG_NAME as _TAG_NAME
from sti.search.backends.common import access_list as _acl
from sti.search.backends.common import clamp as _clamp
from sti.search.backends.common import clean as _clean
from sti.search.backends.common import field_ancestors as _field_ancestors
from sti.search.backends.common import micros as _micros
from sti.search.backends.common import timestamp as _timestamp
from sti.search.backends.tantivy_query import EXACT, FOLDED, TantivyQueryBuilder
from sti.search.base import (
    MAX_RESULT_WINDOW,
    REPLACE_ALL,
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_TITLE,
    FacetValue,
    SearchBackend,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
    TextLoader,
)
from sti.search.highlight import fold_aligned, highlight_all, snippet
from sti.search.querytext import ParsedQuery, parse_query

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "7"
INDEXED_BODY_CHARS = 200_000
# The opening of the body stored for snippets (see above: none, snippets come from the
# database; each stored character costs about a byte per record in every web process).
EXCERPT_CHARS = 0
FACET_SIZE = 200
# Proximity bonuses are scored on this many best matches by the words alone (`_rescored`).
RESCORE_CANDIDATES = 200
# ... when a pair of typed words is this common: finding the candidates again costs ~10 ms per
# pair (their keys looked up in every segment), a one-pass proximity over fewer documents
# less (bench/search.py: 30,000–50,000 matches of short records, one pass 3–15 ms; at
# 60,000 the candidate path cost more than one pass on bench/search.py's short records).
RESCORE_ABOVE = 100_000
# Deep pages are refused (MAX_RESULT_WINDOW): a huge offset would make the collector
# allocate offset+limit slots and abort the process.
MAX_LIMIT = 200
RELOAD_CHECK_SECONDS = 0.25
# Indexing threads of a bulk load (a rebuild): with one, short records (titles and abstracts)
# wait for the engine; with two, a rebuild of long full texts spends a tenth more CPU
# merging their segments (measured on two cores).
BULK_THREADS = 2
_META_SEPARATOR = "\x1f"


def _is_panic(error: BaseException) -> bool:
    """tantivy reports Rust panics as pyo3's PanicException, a BaseException."""
    return type(error).__name__ == "PanicException"


def _build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # uid and tags are looked up, never read back: not stored (a page's hits read the
    # document store, and what it holds stays resident in every web process).
    builder.add_text_field("uid", tokenizer_name="raw", index_option="basic")
    builder.add_text_field(
        "type", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_text_field("pk", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=EXACT)
    builder.add_text_field("title_f", tokenizer_name=FOLDED)
    # Phrases are matched on the folded body; the exact body only adds to the score, so it
    # keeps no positions (less to write at indexing time). It is not stored: its excerpt is,
    # in `meta`.
    builder.add_text_field("body", tokenizer_name=EXACT, index_option="freq")
    builder.add_text_field("body_f", tokenizer_name=FOLDED)
    builder.add_text_field(
        "fields", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_text_field("tags", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("acl", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("sort_title", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", stored=True, fast=True, indexed=True)
    builder.add_integer_field("sort_date", fast=True, indexed=True)
    builder.add_integer_field("available_from", fast=True, indexed=True)
    builder.add_integer_field("created", stored=True, fast=True, indexed=True)
    # A number drawn from the uid: read from the column for a page's candidates and looked
    # up again to score their proximity bonuses alone (`_rescored`).
    builder.add_integer_field("key", fast=True, indexed=True)
    # url, subtitle, whether the body goes on past its excerpt, and the excerpt.
    builder.add_bytes_field("meta", stored=True, indexed=False)
    return builder.build()


def _analyzers() -> dict[str, tantivy.TextAnalyzer]:
    exact = (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(60))
        .filter(Filter.lowercase())
    )
    folded = (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(60))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
    )
    return {EXACT: exact.build(), FOLDED: folded.build()}


_FACET_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sti-facets")


class TantivyBackend(SearchBackend):
    def __init__(
        self, path: str | Path, writer_heap_mb: int = 256, full_texts: TextLoader | None = None
    ):
        self.path = Path(path)
        self.full_texts = full_texts
        self.writer_heap = max(writer_heap_mb, 16) * 1024 * 1024
        self.schema = _build_schema()
        self._analyzers = _analyzers()
        self._queries = TantivyQueryBuilder(self.schema, self._analyzers)
        self._lock = threading.RLock()
        self._meta_mtime = 0
        self._checked_at = 0.0
        self._index = self._open()

    # ------------------------------------------------------------------
    # Opening, writing, reloading
    # ------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        self.path.mkdir(parents=True, exist_ok=True)
        version_file = self.path / "sti-schema-version"
        if version_file.exists() and version_file.read_text().strip() != SCHEMA_VERSION:
            # The schema changed: the index is derived data, rebuild it with `sti reindex`.
            logger.warning(
                "Search index schema changed; clearing %s (run `sti reindex`)", self.path
            )
            shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(self.path))
        for name, analyzer in self._analyzers.items():
            index.register_tokenizer(name, analyzer)
        version_file.write_text(SCHEMA_VERSION)
        return index

    def _searcher(self):
        """A searcher that sees the latest commit, of this process or another one."""
        now = time.monotonic()
        if now - self._checked_at >= RELOAD_CHECK_SECONDS:
            self._checked_at = now
            try:
                mtime = (self.path / "meta.json").stat().st_mtime_ns
            except FileNotFoundError:
                mtime = 0
            if mtime != self._meta_mtime:
                self._index.reload()
                if self._meta_mtime:
                    # Another process committed: pages kept before this process saw it are
                    # stale (the worker's commit counted too, but this process may have
                    # stored pages from its older reader since).
                    pagecache.bump()
                self._meta_mtime = mtime
        return self._index.searcher()

    @contextmanager
    def _writer(
        self, threads: int = 1, lock_timeout: float = 60.0
    ) -> Iterator[tantivy.IndexWriter]:
        # One writer per index across processes: wait while another one (the worker,
        # `sti reindex`) holds the lock.
        deadline = time.monotonic() + lock_timeout
        while True:
            try:
                # tantivy needs at least 15 MB of arena per indexing thread.
                threads = max(1, min(threads, self.writer_heap // 16_000_000))
                writer = self._index.writer(self.writer_heap, threads)
                break
            except ValueError as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        try:
            yield writer
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        finally:
            del writer
            self._index.reload()
            self._checked_at = 0.0
            pagecache.bump()  # search pages and counts show the new commit

    def _to_tantivy(self, document: SearchDocument) -> tantivy.Document:
        title = _clean(document.title)
        body = _clean(document.body[:INDEXED_BODY_CHARS] if document.body else "")
        # url, subtitle and the excerpt travel in one stored bytes value: cheaper than JSON
        # per record.
        more = "1" if len(body) > EXCERPT_CHARS else ""
        meta = _META_SEPARATOR.join(
            (document.url or "", _clean(document.subtitle), more, body[:EXCERPT_CHARS])
        ).encode()
        # from_dict with the schema converts each value by its field's type: a quarter
        # cheaper than keyword arguments, which guess the type of every value.
        return tantivy.Document.from_dict(
            dict(
                uid=document.uid,
                type=document.type,
                pk=str(document.pk),
                title=title,
                title_f=title,
                body=body,
                body_f=body,
                fields=_field_ancestors(document.fields),
                tags=[f"{name}={value}" for name, value in document.tags],
                acl=_acl(document.principals),
                sort_title=fold_aligned(title[:100]),
                year=_clamp(document.year) or 0,
                sort_date=_timestamp(document.date),
                available_from=_timestamp(document.available_from),
                created=_micros(document.created),
                key=_key(document.uid),
                meta=meta,
            ),
            self.schema,
        )

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    def index(self, documents: Iterable[SearchDocument]) -> int:
        documents = list(documents)
        if not documents:
            return 0
        with self._lock, self._writer() as writer:
            for document in documents:
                writer.delete_documents_by_term("uid", document.uid)
                writer.add_document(self._to_tantivy(document))
        return len(documents)

    def bulk_loader(self, replace: str | None = None):
        """One writer, one commit for a whole rebuild: searches keep answering from the old
        documents until the commit, and an error rolls everything back. A uid already in the
        index, or added twice, is replaced; fresh uids skip the delete (a rebuild is mostly
        fresh uids).

        `REPLACE_ALL` drops every segment at the commit instead of marking documents deleted:
        tantivy counts deleted documents in its term statistics until segments merge, so a
        rebuilt index left beside them would score differently from a fresh one (the same
        data restored from a backup). The commit leaves only the new segments, so a full
        rebuild scores exactly as a fresh index does."""

        @contextmanager
        def loader():
            with fewer_collections(), self._lock, self._writer(threads=BULK_THREADS) as writer:
                searcher = self._searcher()
                existing = searcher.num_docs > 0
                if replace == REPLACE_ALL:
                    writer.delete_all_documents()
                    existing = False
                elif replace is not None:
                    writer.delete_documents_by_term("type", replace)
                seen: set[str] = set()

                def add(document: SearchDocument) -> None:
                    uid = document.uid
                    if uid in seen or (
                        existing and document.type != replace and searcher.doc_freq("uid", uid)
                    ):
                        writer.delete_documents_by_term("uid", uid)
                    seen.add(uid)
                    writer.add_document(self._to_tantivy(document))

                yield add

        return loader()

    def delete(self, uids: Iterable[str]) -> None:
        uids = list(uids)
        if not uids:
            return
        with self._lock, self._writer() as writer:
            for uid in uids:
                writer.delete_documents_by_term("uid", str(uid))

    def clear(self, type: str | None = None) -> None:
        with self._lock, self._writer() as writer:
            if type is None:
                writer.delete_all_documents()
            else:
                writer.delete_documents_by_term("type", type)

    def count(self, type: str | None = None) -> int:
        searcher = self._searcher()
        if type is None:
            return searcher.num_docs
        return (
            searcher.search(Query.term_query(self.schema, "type", type), 1, count=True).count or 0
        )

    def present(self, uids: Iterable[str]) -> set[str]:
        searcher = self._searcher()
        return {uid for uid in uids if searcher.doc_freq("uid", uid)}

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    def _text_query(
        self, parsed: ParsedQuery, scoring: bool = True, expansions=()
    ) -> list[tuple[Occur, Query]]:
        """The text part of a query: coverage, exactness, proximity and expansions are
        decided in `tantivy_query`."""
        clauses, proximity = self._text_parts(parsed, scoring, expansions)
        return clauses + proximity

    def _text_parts(self, parsed: ParsedQuery, scoring: bool = True, expansions=()):
        """(the clauses that match and score the words, the proximity bonuses)."""
        searcher = self._searcher() if scoring and expansions else None
        return self._queries.text_parts(parsed, scoring, expansions, searcher)

    def _access_clauses(self, principals: Sequence[str] | None) -> list[tuple[Occur, Query]]:
        """Hide what the principals may not see. Most records are public, so the query
        excludes the few restricted ones instead of intersecting with every public one:
        the cost follows the number of restricted and embargoed records, not the index size."""
        if principals is None:
            return []
        principals = [str(p) for p in principals]
        now = int(time.time())
        embargoed = Query.range_query(
            self.schema,
            "available_from",
            tantivy.FieldType.Integer,
            now + 1,
            _INT_RANGE[1],
            use_inverted_index=True,
        )
        clauses = [(Occur.MustNot, embargoed)]
        if PUBLIC not in principals:
            clauses.append(
                (Occur.Must, Query.term_set_query(self.schema, "acl", principals or [PUBLIC]))
            )
            return clauses
        others = [p for p in principals if p != PUBLIC]
        restricted = Query.term_query(self.schema, "acl", RESTRICTED)
        if others:
            restricted = Query.boolean_query(
                [
                    (Occur.Must, restricted),
                    (Occur.MustNot, Query.term_set_query(self.schema, "acl", others)),
                ]
            )
        clauses.append((Occur.MustNot, restricted))
        return clauses

    def _filter_clause(self, name: str, values: Sequence[str]) -> Query:
        column = BUILTIN_FACETS.get(name)
        if column == "year":
            years = []
            for value in values:
                try:
                    years.append(_clamp(int(str(value).strip())))
                except ValueError:
                    continue
            return (
                Query.term_set_query(self.schema, "year", years) if years else Query.empty_query()
            )
        if column:
            field, terms = column, [str(v).strip() for v in values]
        else:
            field, terms = "tags", [f"{name}={v}" for v in values]
        if len(terms) == 1:  # the common case; a plain term query skips the set machinery
            return Query.term_query(self.schema, field, terms[0])
        return Query.term_set_query(self.schema, field, terms)

    def _filter_clauses(
        self, query: SearchQuery, skip: str | None = None
    ) -> list[tuple[Occur, Query]]:
        clauses = []
        for name, values in query.filters.items():
            if name != skip and values:
                clauses.append((Occur.Must, self._filter_clause(name, values)))
        if query.year_from is not None or query.year_to is not None:
            low = _clamp(query.year_from) if query.year_from is not None else _INT_RANGE[0]
            high = _clamp(query.year_to) if query.year_to is not None else _INT_RANGE[1]
            clauses.append(
                (
                    Occur.Must,
                    Query.range_query(self.schema, "year", tantivy.FieldType.Integer, low, high),
                )
            )
        if query.created_after is not None or query.created_until is not None:
            clauses.append((Occur.Must, self._created_clause(query)))
        return clauses

    def _range(self, field: str, low: int, high: int) -> Query:
        if low > high:
            return Query.empty_query()
        return Query.range_query(
            self.schema, field, tantivy.FieldType.Integer, low, high, use_inverted_index=True
        )

    def _created_clause(self, query: SearchQuery) -> Query:
        """Records that became visible to the searcher in (created_after, created_until]:
        listed then, or (restricted searches) listed before it and out of embargo then."""
        after = _micros(query.created_after) + 1 if query.created_after is not None else 1
        until = _micros(query.created_until) if query.created_until is not None else None
        listed = self._range("created", max(after, 1), until or _INT_RANGE[1])
        if query.principals is None:  # staff see embargoed records from their listing
            return listed
        # available_from is in seconds: lifted after `after` means at least its next second.
        lift_low = (after - 1) // 1_000_000 + 1
        lift_high = until // 1_000_000 if until is not None else _INT_RANGE[1]
        lifted = Query.boolean_query(
            [
                (Occur.Must, self._range("available_from", lift_low, lift_high)),
                (Occur.Must, self._range("created", 1, until or _INT_RANGE[1])),
            ]
        )
        in_window = Query.boolean_query([(Occur.Should, listed), (Occur.Should, lifted)])
        if until is None:
            return in_window
        # Listed in the window under an embargo lifting after it: not visible yet then.
        return Query.boolean_query(
            [
                (Occur.Must, in_window),
                (Occur.MustNot, self._range("available_from", lift_high + 1, _INT_RANGE[1])),
            ]
        )

    @staticmethod
    def _combine(clauses: list[tuple[Occur, Query]]) -> Query:
        if not any(occur in (Occur.Must, Occur.Should) for occur, _ in clauses):
            clauses = [(Occur.Must, Query.all_query()), *clauses]
        return Query.boolean_query(clauses)

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        try:
            results = self._search(query)
        except BaseException as error:
            # A query the engine cannot run is a query with no results, not a server error.
            if not (isinstance(error, ValueError) or _is_panic(error)):
                raise
            logger.warning("search failed for %r: %s", query.text[:200], error)
            results = SearchResults(total=0, hits=[], facets={}, query=query)
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    def _search(self, query: SearchQuery) -> SearchResults:
        searcher = self._searcher()
        parsed = parse_query(query.text)
        text, proximity = self._text_parts(parsed, expansions=query.expansions)
        base = text + self._access_clauses(query.principals)
        full = self._combine(base + self._filter_clauses(query))

        # tantivy releases the GIL: facet counts run on a second core while the ranked
        # search runs here, so a page waits for the slower of the two, not their sum.
        facets_future = None
        if query.facets:
            matching = self._text_query(
                parsed, scoring=False, expansions=query.expansions
            ) + self._access_clauses(query.principals)
            facets_future = _FACET_POOL.submit(self._facets, searcher, query, matching)

        limit = max(1, min(int(query.limit or 0), MAX_LIMIT))
        offset = max(0, int(query.offset or 0))
        kwargs: dict = {"count": True}
        if query.sort == SORT_NEWEST or (
            parsed.is_empty and query.sort not in (SORT_TITLE, SORT_OLDEST)
        ):
            kwargs.update(order_by_field="sort_date", order=tantivy.Order.Desc)
        elif query.sort == SORT_OLDEST:
            kwargs.update(order_by_field="sort_date", order=tantivy.Order.Asc)
        elif query.sort == SORT_TITLE:
            kwargs.update(order_by_field="sort_title", order=tantivy.Order.Asc)
        if offset + limit > MAX_RESULT_WINDOW:
            total, pairs = searcher.search(full, 1, count=True).count, []
        elif (
            proximity
            and "order_by_field" not in kwargs
            and self._broad(searcher, parsed) >= RESCORE_ABOVE
        ):
            total, pairs = self._rescored(searcher, full, parsed, proximity, offset, limit)
        else:
            if proximity and "order_by_field" not in kwargs:  # a narrow query: one pass
                full = self._combine(base + self._filter_clauses(query) + proximity)
            result = searcher.search(full, limit, offset=offset, **kwargs)
            total, pairs = result.count, result.hits
        wanted = parsed.folded_terms() if query.highlight else set()
        found = [
            self._hit(searcher, score, address, wanted, query.highlight) for score, address in pairs
        ]
        hits = [hit for hit, _more, _excerpt in found]
        if wanted:  # browsing without words shows no body: listing pages read no texts
            self._deep_snippets(found, wanted)
        facets = facets_future.result() if facets_future else {}
        return SearchResults(total=total or 0, hits=hits, facets=facets, query=query)

    def _broad(self, searcher, parsed: ParsedQuery) -> int:
        """How many documents the cheapest proximity phrase would read positions in, scored
        over every match: the larger document frequency of its rarer word, at most."""
        tokens = [self._queries.tokens(word)[1] for word in parsed.terms]
        pairs = [
            min(searcher.doc_freq("body_f", token) for token in left + right)
            for left, right in zip(tokens, tokens[1:], strict=False)
            if left and right
        ]
        return max(pairs, default=0)

    def _rescored(self, searcher, query: Query, parsed, proximity, offset: int, limit: int):
        """(total, the page's (score, address) pairs) of `query` plus its proximity bonuses,
        the bonuses scored on the best `RESCORE_CANDIDATES` matches of `query` alone.

        A proximity bonus is a phrase query per pair of typed words: scored over every match
        it reads the positions of both words in each of them (tens of thousands of documents
        for common words at 300,000, most of a page's time). The words' own scores pick the
        candidates; a document outside them would need a bonus larger than the gap between
        its score and the candidates' (see docs/benchmarks.md for the measured effect)."""
        window = max(RESCORE_CANDIDATES, offset + limit)
        first = searcher.search(query, window, count=True)
        candidates = first.hits
        if len(candidates) <= offset:
            return first.count, []
        addresses = [address for _score, address in candidates]
        keys = searcher.fast_field_values("key", addresses)
        if None in keys:  # not expected (every record has a key): score every match at once
            result = searcher.search(
                Query.boolean_query([(Occur.Must, query), *proximity]), limit, offset=offset
            )
            return first.count, result.hits
        # The candidates, found again by their key (another record sharing one is ignored),
        # with the bonuses alone as their score.
        chosen = Query.const_score_query(
            Query.term_set_query(self.schema, "key", list(set(keys))), 0.0
        )
        bonus_query = Query.boolean_query(
            [(Occur.Must, chosen), *self._queries.proximity(parsed, within=chosen)]
        )
        bonuses = searcher.search(bonus_query, len(keys), count=True)
        if (bonuses.count or 0) > len(keys):
            bonuses = searcher.search(bonus_query, bonuses.count, count=False)
        bonus = {(a.segment_ord, a.doc): score for score, a in bonuses.hits}
        ranked = sorted(
            (
                (score + bonus.get((address.segment_ord, address.doc), 0.0), order, address)
                for order, (score, address) in enumerate(candidates)
            ),
            key=lambda item: (-item[0], item[1]),
        )
        return first.count, [(score, address) for score, _order, address in ranked][
            offset : offset + limit
        ]

    def _deep_snippets(self, found: list[tuple[SearchHit, bool, str]], wanted: set[str]) -> None:
        deep_snippets(found, wanted, self.full_texts, INDEXED_BODY_CHARS)

    def _stored(self, searcher, address) -> tuple[dict, str, str, bool, str]:
        """(stored fields, url, subtitle, whether the body goes on, its excerpt)."""
        stored = searcher.doc(address).to_dict()
        parts = bytes((stored.get("meta") or [b""])[0]).decode().split(_META_SEPARATOR, 3)
        url, subtitle, more, excerpt = (parts + ["", "", "", ""])[:4]
        return stored, url, subtitle, more == "1", excerpt

    def _hit(
        self, searcher, score, address, wanted: set[str], highlight: bool
    ) -> tuple[SearchHit, bool, str]:
        """The hit, whether its body goes on past the excerpt, and the excerpt."""
        stored, url, subtitle, more, body = self._stored(searcher, address)
        title = (stored.get("title") or [""])[0]
        year = (stored.get("year") or [0])[0] or None
        created = (stored.get("created") or [0])[0]
        hit = SearchHit(
            type=stored["type"][0],
            pk=stored["pk"][0],
            title=title,
            url=url,
            subtitle=subtitle,
            score=float(score) if isinstance(score, (int, float)) else 0.0,
            year=year,
            fields=[code for code in stored.get("fields", ()) if len(code) >= 3],
            title_html=highlight_all(title, wanted) if highlight else "",
            snippet_html=snippet(body, wanted) if highlight else "",
            created=_EPOCH + timedelta(microseconds=created) if created else None,
        )
        return hit, more, body

    def _facets(self, searcher, query: SearchQuery, base) -> dict[str, list[FacetValue]]:
        """Counts per facet; each facet ignores its own filter so other values stay visible."""
        out: dict[str, list[FacetValue]] = {}
        groups: dict[str | None, list[str]] = {}
        for name in dict.fromkeys(query.facets):
            if name not in BUILTIN_FACETS and not _TAG_NAME.match(name):
                continue
            # Facets whose own filter is not set share one aggregation run.
            key = name if query.filters.get(name) else None
            groups.setdefault(key, []).append(name)
        for skip, names in groups.items():
            scoped = Query.const_score_query(
                self._combine(base + self._filter_clauses(query, skip=skip)), 1.0
            )
            aggs = {}
            tag_names = [name for name in names if name not in BUILTIN_FACETS]
            for name in names:
                if name in BUILTIN_FACETS:
                    aggs[name] = {"terms": {"field": BUILTIN_FACETS[name], "size": FACET_SIZE}}
            if tag_names:
                # All tag facets share the `tags` column: one pass over it, split by prefix
                # afterwards, instead of one pass per facet.
                pattern = "(" + "|".join(re.escape(name) for name in tag_names) + ")=.*"
                aggs["__tags__"] = {
                    "terms": {
                        "field": "tags",
                        "size": FACET_SIZE * len(tag_names),
                        "include": pattern,
                    }
                }
            raw = searcher.aggregate(scoped, aggs)
            tag_buckets: dict[str, list] = {name: [] for name in tag_names}
            for bucket in raw.get("__tags__", {}).get("buckets", []):
                prefix = str(bucket["key"]).split("=", 1)[0]
                if prefix in tag_buckets and len(tag_buckets[prefix]) < FACET_SIZE:
                    tag_buckets[prefix].append(bucket)
            for name in names:
                buckets = (
                    tag_buckets[name]
                    if name in tag_buckets
                    else raw.get(name, {}).get("buckets", [])
                )
                selected = {str(v) for v in query.filters.get(name, ())}
                values = []
                for bucket in buckets:
                    key = bucket["key"]
                    if isinstance(key, float) and key.is_integer():
                        key = int(key)
                    key = str(key)
                    if name not in BUILTIN_FACETS:
                        key = key.split("=", 1)[1] if "=" in key else key
                    if name == "year" and key == "0":
                        continue
                    values.append(
                        FacetValue(value=key, count=bucket["doc_count"], selected=key in selected)
                    )
                if name == "year":
                    values.sort(key=lambda value: int(value.value), reverse=True)
                out[name] = values
        return out

    def more_like_this(self, type, pk, *, principals, limit=5, types=None) -> list[SearchHit]:
        searcher = self._searcher()
        uid = f"{type}:{pk}"
        found = searcher.search(Query.term_query(self.schema, "uid", uid), 1)
        if not found.hits:
            return []
        stored, _url, _subtitle, more, body = self._stored(searcher, found.hits[0][1])
        title = (stored.get("title") or [""])[0]
        if more and self.full_texts is not None:
            try:
                body = self.full_texts([uid]).get(uid) or body
            except Exception:  # the excerpt's words still find similar records
                logger.exception("could not load the full text of %s", uid)
        text = f"{title} {title} " + body[:5000]
        terms = _salient_terms(text, searcher)
        if not terms:
            return []
        should = []
        for term, weight in terms:
            should.append(
                (
                    Occur.Should,
                    Query.boost_query(Query.term_query(self.schema, "body_f", term), weight),
                )
            )
            should.append(
                (
                    Occur.Should,
                    Query.boost_query(Query.term_query(self.schema, "title_f", term), weight * 2),
                )
            )
        clauses = [(Occur.Must, Query.boolean_query(should))]
        clauses.append((Occur.MustNot, Query.term_query(self.schema, "uid", uid)))
        if types:
            clauses.append((Occur.Must, Query.term_set_query(self.schema, "type", list(types))))
        clauses += self._access_clauses(principals)
        result = searcher.search(Query.boolean_query(clauses), max(1, min(int(limit), MAX_LIMIT)))
        return [
            self._hit(searcher, score, address, set(), False)[0] for score, address in result.hits
        ]


def _key(uid: str) -> int:
    """A record's key: 62 bits of a hash of its uid (two records sharing one cost a wasted
    look-up, never a wrong result)."""
    return int.from_bytes(hashlib.blake2b(uid.encode(), digest_size=8).digest()) >> 2


def _salient_terms(text: str, searcher, top: int = 25) -> list[tuple[str, float]]:
    """The document's most distinctive folded syllables, weighted by tf·idf."""
    from collections import Counter
    from math import log

    from sti.core.text import VIETNAMESE_STOPWORDS

    counts = Counter(fold_lower(word) for word in tokenize(text))
    total_docs = max(searcher.num_docs, 1)
    scored = []
    for term, freq in counts.most_common(200):
        if term in VIETNAMESE_STOPWORDS or len(term) < 2 or term.isdigit():
            continue
        doc_freq = searcher.doc_freq("body_f", term)
        if doc_freq == 0:
            continue
        idf = log(1 + total_docs / doc_freq)
        scored.append((term, freq * idf))
    scored.sort(key=lambda item: item[1], reverse=True)
    return scored[:top]
