"""Search verbs used by pages, the API, tasks and the command line."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from sti.core.access import principals_for
from sti.search.base import SearchBackend, SearchHit, SearchQuery, SearchResults
from sti.search.models import IndexFailure
from sti.search.registry import all_specs, get_spec

logger = logging.getLogger(__name__)
_backend: SearchBackend | None = None
_backend_lock = threading.Lock()


def get_backend() -> SearchBackend:
    """The process-wide backend named by STI_SEARCH_BACKEND."""
    global _backend
    with _backend_lock:
        if _backend is None:
            backend_class = import_string(settings.STI_SEARCH_BACKEND)
            _backend = backend_class(
                settings.STI_SEARCH_INDEX_DIR, writer_heap_mb=settings.STI_SEARCH_WRITER_HEAP_MB
            )
        return _backend


def reset_backend() -> None:
    """Forget the backend (tests point STI_SEARCH_INDEX_DIR elsewhere)."""
    global _backend
    with _backend_lock:
        _backend = None


def search(user, query: SearchQuery) -> SearchResults:
    """Search as `user`: the access rules of the user always replace the query's."""
    query.principals = principals_for(user)
    return get_backend().search(query)


def more_like_this(
    user, type: str, pk, *, limit: int = 5, types: Sequence[str] | None = None
) -> list[SearchHit]:
    return get_backend().more_like_this(
        type, str(pk), principals=principals_for(user), limit=limit, types=types
    )


# ---------------------------------------------------------------------------
# Indexing: one bad record is logged, listed on the status page and skipped; the rest goes on.
# ---------------------------------------------------------------------------
class _Failures:
    """The records of one indexing run that failed, written to `IndexFailure` at the end."""

    def __init__(self, type: str):
        self.type = type
        self.errors: dict[str, str] = {}

    def add(self, pk: str, error: BaseException) -> None:
        logger.exception("Could not index %s:%s", self.type, pk, exc_info=error)
        self.errors[pk] = f"{error.__class__.__name__}: {error}"[:2000]

    def save(self, done: Iterable[str] | None) -> None:
        """Record this run's failures; forget earlier ones for `done` (None: the whole type)."""
        earlier = IndexFailure.objects.filter(type=self.type)
        if done is not None:
            earlier = earlier.filter(pk_value__in=list(done))
        earlier.exclude(pk_value__in=list(self.errors)).delete()
        for pk, error in self.errors.items():
            IndexFailure.objects.update_or_create(
                type=self.type, pk_value=pk, defaults={"error": error}
            )


def _document_or_failure(spec, obj, failures: _Failures):
    try:
        return spec.document_for(obj)
    except Exception as error:  # a bad record must not stop the others
        failures.add(str(obj.pk), error)
        return None


def index_records(type: str, pks: Iterable) -> int:
    """Bring the index in line with the database for these records of one type."""
    spec = get_spec(type)
    pks = [str(pk) for pk in pks]
    objects = {str(obj.pk): obj for obj in spec.indexed_queryset().filter(pk__in=pks)}
    failures = _Failures(type)
    documents, removed = [], []
    for pk in pks:
        obj = objects.get(pk)
        document = _document_or_failure(spec, obj, failures) if obj is not None else None
        if document is None:
            removed.append(f"{type}:{pk}")
        else:
            documents.append(document)
    backend = get_backend()
    if removed:
        backend.delete(removed)
    written = 0
    if documents:
        try:
            written = backend.index(documents)
        except Exception:
            # One of them is refused by the engine: index one by one to find it.
            for document in documents:
                try:
                    written += backend.index([document])
                except Exception as error:
                    failures.add(document.pk, error)
    failures.save(done=pks)
    return written


@dataclass
class Coverage:
    """The index against the database for one type."""

    type: str
    stored: int  # records in the database
    indexed: int  # documents in the index
    missing: list[str]  # records that should be indexed and are not (first MAX_LISTED)
    missing_count: int
    extra: int  # documents whose record is gone from the database
    failures: list[IndexFailure]

    @property
    def ok(self) -> bool:
        return not (self.missing_count or self.extra or self.failures)


MAX_LISTED = 20
# Past this many unindexed records, the rest are counted without building their documents.
MAX_CANDIDATES = 5_000


def coverage(type: str) -> Coverage:
    """Which records of `type` are missing from the index, which documents are left over.

    Records the type keeps out of the index on purpose (drafts, deleted records) are not
    missing: only those whose document would be built count.
    """
    spec = get_spec(type)
    backend = get_backend()
    pks = [str(pk) for pk in spec.model._base_manager.values_list("pk", flat=True)]
    present = backend.present(f"{type}:{pk}" for pk in pks)
    failures = list(IndexFailure.objects.filter(type=type))
    failed = {failure.pk_value for failure in failures}
    candidates = [pk for pk in pks if f"{type}:{pk}" not in present and pk not in failed]
    missing: list[str] = []
    for obj in spec.indexed_queryset().filter(pk__in=candidates[:MAX_CANDIDATES]):
        try:
            if spec.document_for(obj) is not None:
                missing.append(str(obj.pk))
        except Exception:  # listed as a failure at its next indexing; counted as missing now
            missing.append(str(obj.pk))
    missing_count = len(missing) + max(0, len(candidates) - MAX_CANDIDATES)
    indexed = backend.count(type)
    return Coverage(
        type=type,
        stored=len(pks),
        indexed=indexed,
        missing=sorted(missing, key=lambda pk: (len(pk), pk))[:MAX_LISTED],
        missing_count=missing_count,
        extra=max(0, indexed - len(present)),
        failures=failures,
    )


def index_failures() -> dict[str, list[IndexFailure]]:
    """The records that failed to index, by type (for the status page and `sti status`)."""
    out: dict[str, list[IndexFailure]] = {}
    for failure in IndexFailure.objects.all():
        out.setdefault(failure.type, []).append(failure)
    return out


def reindex(
    types: Sequence[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    chunk_size: int = 2000,
) -> int:
    """Rebuild the index from the database; returns the number of documents written.

    Each type is replaced in one commit: searches answer from the old documents until the
    new ones are all in, and a rebuild that fails leaves the old ones in place. A record that
    fails to index is logged, recorded as an `IndexFailure` and skipped.
    `progress(label, total)` returns a callback called with the number of records done.
    """
    backend = get_backend()
    specs = [spec for spec in all_specs() if types is None or spec.type in types]
    written = 0
    for spec in specs:
        queryset = spec.indexed_queryset().order_by("pk")
        total = queryset.count()
        advance = progress(str(spec.label), total) if progress else None
        failures = _Failures(spec.type)
        with backend.bulk_loader(replace=spec.type) as add:
            for obj in queryset.iterator(chunk_size=chunk_size):
                document = _document_or_failure(spec, obj, failures)
                if document is not None:
                    try:
                        add(document)
                        written += 1
                    except Exception as error:
                        failures.add(document.pk, error)
                if advance:
                    advance(1)
        failures.save(done=None)
    return written
