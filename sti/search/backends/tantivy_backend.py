"""The default search backend: tantivy, an embedded BM25 engine (Rust), one host.

Vietnamese behaviour: title and body are indexed twice, once exact (lower-cased, accents
kept) and once folded (accents removed, đ→d, by tantivy's `ascii_fold`). A query term runs
against both; exact matches get a higher boost, so for "đường" a record with "đường" ranks
above one with only "dương", while "duong" finds both.

tantivy allows one writer per index: writers are opened per batch and closed right after the
commit, retrying while another process (the worker, `sti reindex`) holds the lock.
Readers reload when the index's meta file changes.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from sti.core.text import fold_lower, normalize, tokenize
from sti.search.base import (
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_TITLE,
    FacetValue,
    SearchBackend,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from sti.search.highlight import highlight_all, snippet
from sti.search.querytext import ParsedQuery, parse_query

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "3"
EXACT, FOLDED = "vi_exact", "vi_fold"
# Exact-diacritic matches weigh more than folded-only ones; titles more than bodies.
BOOSTS = {"title": 6.0, "title_f": 3.0, "body": 2.0, "body_f": 1.0}
STORED_BODY_CHARS = 200_000
FACET_SIZE = 200
# Facets the backend computes from its own columns; anything else is a tag.
BUILTIN_FACETS = {"type": "type", "field": "fields", "year": "year"}


def _timestamp(value: date | datetime | None) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp())
    return int(datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp())


def _field_ancestors(codes: Iterable[str]) -> list[str]:
    """Index a field code with its parents so a filter on "4" or "401" finds "40107"."""
    out: set[str] = set()
    for code in codes:
        code = str(code).strip()
        for length in (1, 3, 5, 7):
            if len(code) >= length:
                out.add(code[:length])
    return sorted(out)


def _build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("uid", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("type", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("pk", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=EXACT)
    builder.add_text_field("title_f", tokenizer_name=FOLDED)
    builder.add_text_field("body", stored=True, tokenizer_name=EXACT)
    builder.add_text_field("body_f", tokenizer_name=FOLDED)
    builder.add_text_field("fields", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("tags", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("acl", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("sort_title", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", stored=True, fast=True, indexed=True)
    builder.add_integer_field("sort_date", fast=True, indexed=True)
    builder.add_integer_field("available_from", fast=True, indexed=True)
    builder.add_bytes_field("meta", stored=True, indexed=False)
    return builder.build()


def _analyzers() -> dict[str, tantivy.TextAnalyzer]:
    exact = TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(60)).filter(Filter.lowercase())
    folded = (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(60))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
    )
    return {EXACT: exact.build(), FOLDED: folded.build()}


class TantivyBackend(SearchBackend):
    def __init__(self, path: str | Path, writer_heap_mb: int = 256):
        self.path = Path(path)
        self.writer_heap = writer_heap_mb * 1024 * 1024
        self.schema = _build_schema()
        self._lock = threading.RLock()
        self._meta_mtime = 0.0
        self._index = self._open()

    # ------------------------------------------------------------------
    # Opening, writing, reloading
    # ------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        self.path.mkdir(parents=True, exist_ok=True)
        version_file = self.path / "sti-schema-version"
        if version_file.exists() and version_file.read_text().strip() != SCHEMA_VERSION:
            # The schema changed: the index is derived data, rebuild it with `sti reindex`.
            logger.warning("Search index schema changed; clearing %s", self.path)
            shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(self.path))
        for name, analyzer in _analyzers().items():
            index.register_tokenizer(name, analyzer)
        version_file.write_text(SCHEMA_VERSION)
        return index

    def _reload_if_changed(self) -> None:
        try:
            mtime = (self.path / "meta.json").stat().st_mtime
        except FileNotFoundError:
            return
        if mtime != self._meta_mtime:
            self._index.reload()
            self._meta_mtime = mtime

    @contextmanager
    def _writer(self, threads: int = 1) -> Iterator[tantivy.IndexWriter]:
        deadline = time.monotonic() + 60
        while True:
            try:
                writer = self._index.writer(self.writer_heap, threads)
                break
            except ValueError as error:  # the lock is held by another process
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
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

    def _to_tantivy(self, document: SearchDocument) -> tantivy.Document:
        title = normalize(document.title)
        body = normalize(document.body)[:STORED_BODY_CHARS]
        meta = {"url": document.url, "subtitle": document.subtitle}
        fields = _field_ancestors(document.fields)
        tags = [f"{name}={value}" for name, value in document.tags]
        return tantivy.Document(
            uid=document.uid,
            type=document.type,
            pk=str(document.pk),
            title=title,
            title_f=title,
            body=body,
            body_f=body,
            fields=fields,
            tags=tags,
            acl=list(document.principals),
            sort_title=fold_lower(title)[:100],
            year=document.year or 0,
            sort_date=_timestamp(document.date),
            available_from=_timestamp(document.available_from),
            meta=json.dumps(meta, ensure_ascii=False).encode(),
        )

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    def index(self, documents: Iterable[SearchDocument]) -> int:
        written = 0
        with self._lock, self._writer() as writer:
            for document in documents:
                writer.delete_documents_by_term("uid", document.uid)
                writer.add_document(self._to_tantivy(document))
                written += 1
        return written

    def bulk_loader(self):
        @contextmanager
        def loader():
            with self._lock, self._writer(threads=2) as writer:

                def add(document: SearchDocument) -> None:
                    writer.delete_documents_by_term("uid", document.uid)
                    writer.add_document(self._to_tantivy(document))

                yield add

        return loader()

    def delete(self, uids: Iterable[str]) -> None:
        with self._lock, self._writer() as writer:
            for uid in uids:
                writer.delete_documents_by_term("uid", uid)

    def clear(self, type: str | None = None) -> None:
        with self._lock, self._writer() as writer:
            if type is None:
                writer.delete_all_documents()
            else:
                writer.delete_documents_by_term("type", type)

    def count(self, type: str | None = None) -> int:
        self._reload_if_changed()
        searcher = self._index.searcher()
        if type is None:
            return searcher.num_docs
        return searcher.search(Query.term_query(self.schema, "type", type), 0, count=True).count

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    def _term_clause(self, word: str) -> Query:
        folded = fold_lower(word)
        clauses = [
            (Occur.Should, Query.boost_query(Query.term_query(self.schema, "title", word), BOOSTS["title"])),
            (Occur.Should, Query.boost_query(Query.term_query(self.schema, "body", word), BOOSTS["body"])),
            (Occur.Should, Query.boost_query(Query.term_query(self.schema, "title_f", folded), BOOSTS["title_f"])),
            (Occur.Should, Query.boost_query(Query.term_query(self.schema, "body_f", folded), BOOSTS["body_f"])),
        ]
        return Query.boolean_query(clauses)

    def _phrase_clause(self, words: list[str]) -> Query:
        folded = [fold_lower(word) for word in words]
        clauses = [
            (Occur.Should, Query.boost_query(Query.phrase_query(self.schema, "title", words), BOOSTS["title"])),
            (Occur.Should, Query.boost_query(Query.phrase_query(self.schema, "body", words), BOOSTS["body"])),
            (Occur.Should, Query.boost_query(Query.phrase_query(self.schema, "title_f", folded), BOOSTS["title_f"])),
            (Occur.Should, Query.boost_query(Query.phrase_query(self.schema, "body_f", folded), BOOSTS["body_f"])),
        ]
        return Query.boolean_query(clauses)

    def _text_query(self, parsed: ParsedQuery) -> list[tuple[Occur, Query]]:
        clauses = [(Occur.Must, self._term_clause(word)) for word in parsed.terms]
        clauses += [(Occur.Must, self._phrase_clause(words)) for words in parsed.phrases]
        for word in parsed.excluded:
            folded = fold_lower(word)
            clauses.append((Occur.MustNot, Query.term_query(self.schema, "title_f", folded)))
            clauses.append((Occur.MustNot, Query.term_query(self.schema, "body_f", folded)))
        return clauses

    def _access_clauses(self, principals: Sequence[str] | None) -> list[tuple[Occur, Query]]:
        if principals is None:
            return []
        now = int(time.time())
        return [
            (Occur.Must, Query.term_set_query(self.schema, "acl", list(principals) or ["public"])),
            (
                Occur.Must,
                Query.range_query(self.schema, "available_from", tantivy.FieldType.Integer, None, now),
            ),
        ]

    def _filter_clause(self, name: str, values: Sequence[str]) -> Query:
        column = BUILTIN_FACETS.get(name)
        if column == "year":
            return Query.term_set_query(self.schema, "year", [int(v) for v in values if str(v).isdigit()])
        if column:
            return Query.term_set_query(self.schema, column, [str(v) for v in values])
        return Query.term_set_query(self.schema, "tags", [f"{name}={v}" for v in values])

    def _filter_clauses(self, query: SearchQuery, skip: str | None = None) -> list[tuple[Occur, Query]]:
        clauses = []
        for name, values in query.filters.items():
            if name != skip and values:
                clauses.append((Occur.Must, self._filter_clause(name, values)))
        if query.year_from or query.year_to:
            clauses.append(
                (
                    Occur.Must,
                    Query.range_query(
                        self.schema, "year", tantivy.FieldType.Integer, query.year_from, query.year_to
                    ),
                )
            )
        return clauses

    @staticmethod
    def _combine(clauses: list[tuple[Occur, Query]]) -> Query:
        if not any(occur in (Occur.Must, Occur.Should) for occur, _ in clauses):
            clauses = [(Occur.Must, Query.all_query()), *clauses]
        return Query.boolean_query(clauses)

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        self._reload_if_changed()
        searcher = self._index.searcher()
        parsed = parse_query(query.text)
        base = self._text_query(parsed) + self._access_clauses(query.principals)
        full = self._combine(base + self._filter_clauses(query))

        limit = max(0, min(query.limit, 200))
        offset = max(0, query.offset)
        kwargs: dict = {"limit": limit, "offset": offset, "count": True}
        if query.sort == SORT_NEWEST or (parsed.is_empty and query.sort not in (SORT_TITLE, SORT_OLDEST)):
            kwargs.update(order_by_field="sort_date", order=tantivy.Order.Desc)
        elif query.sort == SORT_OLDEST:
            kwargs.update(order_by_field="sort_date", order=tantivy.Order.Asc)
        elif query.sort == SORT_TITLE:
            kwargs.update(order_by_field="sort_title", order=tantivy.Order.Asc)
        result = searcher.search(full, **kwargs)

        wanted = parsed.folded_terms() if query.highlight else set()
        hits = [self._hit(searcher, score, address, wanted, query.highlight) for score, address in result.hits]
        facets = self._facets(searcher, query, base) if query.facets else {}
        return SearchResults(
            total=result.count or 0,
            hits=hits,
            facets=facets,
            query=query,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def _hit(self, searcher, score, address, wanted: set[str], highlight: bool) -> SearchHit:
        stored = searcher.doc(address)
        meta = json.loads(bytes(stored.get_first("meta") or b"{}") or b"{}")
        title = stored.get_first("title") or ""
        body = stored.get_first("body") or ""
        year = stored.get_first("year") or None
        return SearchHit(
            type=stored.get_first("type"),
            pk=stored.get_first("pk"),
            title=title,
            url=meta.get("url", ""),
            subtitle=meta.get("subtitle", ""),
            score=float(score) if isinstance(score, (int, float)) else 0.0,
            year=year,
            fields=[code for code in stored.get_all("fields") if len(code) >= 3],
            title_html=highlight_all(title, wanted) if highlight else "",
            snippet_html=snippet(body, wanted) if highlight else "",
        )

    def _facets(self, searcher, query: SearchQuery, base) -> dict[str, list[FacetValue]]:
        """Counts per facet; each facet ignores its own filter so other values stay visible."""
        out: dict[str, list[FacetValue]] = {}
        tag_names = [name for name in query.facets if name not in BUILTIN_FACETS]
        groups: dict[str | None, list[str]] = {}
        for name in query.facets:
            # Facets whose own filter is not set share one aggregation run.
            key = name if query.filters.get(name) else None
            groups.setdefault(key, []).append(name)
        for skip, names in groups.items():
            scoped = self._combine(base + self._filter_clauses(query, skip=skip))
            aggs = {}
            for name in names:
                column = BUILTIN_FACETS.get(name, "tags")
                aggs[name] = {"terms": {"field": column, "size": FACET_SIZE if column != "tags" else 5000}}
            raw = searcher.aggregate(scoped, aggs)
            for name in names:
                buckets = raw.get(name, {}).get("buckets", [])
                selected = {str(v) for v in query.filters.get(name, ())}
                values = []
                for bucket in buckets:
                    key = str(bucket["key"])
                    if name in tag_names:
                        prefix = f"{name}="
                        if not key.startswith(prefix):
                            continue
                        key = key[len(prefix) :]
                    if name == "year" and key == "0":
                        continue
                    values.append(FacetValue(value=key, count=bucket["doc_count"], selected=key in selected))
                if name == "year":
                    values.sort(key=lambda value: value.value, reverse=True)
                out[name] = values[:FACET_SIZE]
        return out

    def more_like_this(self, type, pk, *, principals, limit=5, types=None) -> list[SearchHit]:
        self._reload_if_changed()
        searcher = self._index.searcher()
        found = searcher.search(Query.term_query(self.schema, "uid", f"{type}:{pk}"), 1)
        if not found.hits:
            return []
        stored = searcher.doc(found.hits[0][1])
        text = (stored.get_first("title") or "") + " " + (stored.get_first("title") or "") + " "
        text += (stored.get_first("body") or "")[:5000]
        terms = _salient_terms(text, searcher, self.schema)
        if not terms:
            return []
        should = [
            (Occur.Should, Query.boost_query(Query.term_query(self.schema, "body_f", term), weight))
            for term, weight in terms
        ]
        clauses = [(Occur.Must, Query.boolean_query(should))]
        clauses.append((Occur.MustNot, Query.term_query(self.schema, "uid", f"{type}:{pk}")))
        if types:
            clauses.append((Occur.Must, Query.term_set_query(self.schema, "type", list(types))))
        clauses += self._access_clauses(principals)
        result = searcher.search(Query.boolean_query(clauses), limit)
        return [self._hit(searcher, score, address, set(), False) for score, address in result.hits]


def _salient_terms(text: str, searcher, schema, top: int = 25) -> list[tuple[str, float]]:
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
