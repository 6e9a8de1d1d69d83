"""Search verbs used by pages, the API, tasks and the command line."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.utils.module_loading import import_string

from sti.core.access import principals_for
from sti.search.base import SearchBackend, SearchHit, SearchQuery, SearchResults
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


def index_records(type: str, pks: Iterable) -> int:
    """Bring the index in line with the database for these records of one type."""
    spec = get_spec(type)
    pks = [str(pk) for pk in pks]
    objects = {str(obj.pk): obj for obj in spec.indexed_queryset().filter(pk__in=pks)}
    documents, removed = [], []
    for pk in pks:
        obj = objects.get(pk)
        document = spec.document_for(obj) if obj is not None else None
        if document is None:
            removed.append(f"{type}:{pk}")
        else:
            documents.append(document)
    backend = get_backend()
    if removed:
        backend.delete(removed)
    return backend.index(documents) if documents else 0


def reindex(
    types: Sequence[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    chunk_size: int = 2000,
) -> int:
    """Rebuild the index from the database; returns the number of documents written.

    `progress(label, total)` returns a callback called with the number of records done.
    """
    backend = get_backend()
    specs = [spec for spec in all_specs() if types is None or spec.type in types]
    written = 0
    for spec in specs:
        backend.clear(spec.type)
        queryset = spec.indexed_queryset().order_by("pk")
        total = queryset.count()
        advance = progress(str(spec.label), total) if progress else None
        with backend.bulk_loader() as add:
            for obj in queryset.iterator(chunk_size=chunk_size):
                document = spec.document_for(obj)
                if document is not None:
                    add(document)
                    written += 1
                if advance:
                    advance(1)
    return written
