"""Worker-side work of the search app: bringing the index in line with the database.

Run by the worker (which owns the index writer) through `tasks.py`, and by `sti reindex`.
One bad record is logged, recorded as an `IndexFailure` (listed on the status page) and
skipped; the rest goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from django.utils import timezone

from sti.core import jobs as tracked
from sti.core.gcpause import fewer_collections
from sti.search.base import REPLACE_ALL
from sti.search.engine import get_backend
from sti.search.models import IndexFailure, PendingIndex
from sti.search.registry import all_specs, get_spec

logger = logging.getLogger(__name__)


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
    # The changes this run covers: rows written later wait for their own task.
    pending = list(
        PendingIndex.objects.filter(type=type, pk_value__in=pks).values_list("pk", flat=True)
    )
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
    spec.add_tags(documents)
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
    PendingIndex.objects.filter(pk__in=pending).delete()
    return written


def reindex(
    types: Sequence[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    chunk_size: int = 2000,
) -> int:
    """Rebuild the index from the database; returns the number of documents written.

    Each type is replaced in one commit, or with no `types` the whole index in one commit
    that leaves no deleted documents behind (scores then equal a fresh index's, e.g. after a
    restore): searches answer from the old documents until the new ones are all in, and a
    rebuild that fails leaves the old ones in place. A record that
    fails to index is logged, recorded as an `IndexFailure` and skipped.
    `progress(label, total)` returns a callback called with the number of records done.
    """
    backend = get_backend()
    specs = [spec for spec in all_specs() if types is None or spec.type in types]
    started = timezone.now()
    written = _rebuild(backend, specs, types, progress, chunk_size)
    # Changes made before the rebuild read the database are in it now.
    PendingIndex.objects.filter(
        type__in=[spec.type for spec in specs], queued_at__lt=started
    ).delete()
    return written


def _rebuild(backend, specs, types, progress, chunk_size: int) -> int:
    # Several model instances per record, most of them garbage a moment later: young
    # collections every few hundred of them cost a third of the feeding thread's time.
    with fewer_collections():
        if types is None:
            # Everything in one commit that replaces the whole index: no deleted documents
            # are left in the term statistics, so scores are those of a fresh index.
            with backend.bulk_loader(replace=REPLACE_ALL) as add:
                return sum(_load(spec, add, progress, chunk_size) for spec in specs)
        written = 0
        for spec in specs:
            with backend.bulk_loader(replace=spec.type) as add:
                written += _load(spec, add, progress, chunk_size)
        return written


def _load(spec, add, progress, chunk_size: int) -> int:
    """Add every indexed record of one type through a bulk loader's `add`; returns how many
    were written. The type's failures are recorded when it is done."""
    queryset = spec.indexed_queryset().order_by("pk")
    total = queryset.count()
    advance = progress(str(spec.label), total) if progress else None
    failures = _Failures(spec.type)
    written = 0
    batch: list = []

    def flush() -> int:
        # Tags other apps add (`register_tags`): one call each per batch, not per record.
        spec.add_tags(batch)
        done = 0
        for document in batch:
            try:
                add(document)
                done += 1
            except Exception as error:
                failures.add(document.pk, error)
        batch.clear()
        return done

    for obj in queryset.iterator(chunk_size=chunk_size):
        document = _document_or_failure(spec, obj, failures)
        if document is not None:
            batch.append(document)
            if len(batch) >= chunk_size:
                written += flush()
        if advance:
            advance(1)
    written += flush()
    failures.save(done=None)
    return written


def reindex_job_kind(type: str) -> str:
    return f"search.reindex.{type}"


def reindex_tracked(job_id: int, types: Sequence[str]):
    """`reindex` as a tracked job: progress, timing, an error for editors, and a lease."""

    def work(progress, job) -> str:
        def start(label: str, total: int):
            done = [0]
            progress(0, total=total, message=label)

            def advance(count: int) -> None:
                done[0] += count
                progress(done[0])

            return advance

        return str(reindex(types, progress=start))

    return tracked.run(job_id, work)
