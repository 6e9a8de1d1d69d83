"""Search verbs used by pages, the API and the command line.

Indexing itself is worker-side work (`jobs.py`: `index_records`, `reindex`), named here too
for callers; the backend comes from `engine.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sti.core import expansion
from sti.core import jobs as tracked_jobs
from sti.core.access import principals_for
from sti.core.models import current_field_display_labels
from sti.search import tasks
from sti.search.base import SearchHit, SearchQuery, SearchResults
from sti.search.engine import get_backend, reset_backend
from sti.search.jobs import index_records, reindex, reindex_job_kind
from sti.search.models import IndexFailure
from sti.search.querytext import free_text, parse_query
from sti.search.registry import all_specs, get_spec, type_labels

logger = logging.getLogger(__name__)


def search(user, query: SearchQuery) -> SearchResults:
    """Search as `user`: the access rules of the user always replace the query's. Without
    expansions from the caller, the thesaurus (`sti.core.expansion`) proposes them for the
    words typed outside quotes; a quoted phrase is never expanded."""
    query.principals = principals_for(user)
    if not query.expansions and query.text:
        words = free_text(query.text)
        query.expansions = expansion.expansions(words) if words else []
    return get_backend().search(query)


def label_facets(results: SearchResults, field_names: dict | None = None) -> SearchResults:
    """Give the global facets (`type`, `field`, `year`) their human labels, for the page and
    the API alike (field names remembered by the process, no query)."""
    types = type_labels()
    names = current_field_display_labels() if field_names is None else field_names
    labels = {
        "type": lambda value: types.get(value, value),
        "field": lambda value: names.get(value, value),
    }
    for name, values in results.facets.items():
        for value in values:
            value.label = labels.get(name, str)(value.value)
    return results


def describe(user, results: SearchResults) -> SearchResults:
    """Let each type with a `describe` fill the labelled parts of its hits on this page."""
    by_type: dict[str, list[SearchHit]] = {}
    for hit in results.hits:
        by_type.setdefault(hit.type, []).append(hit)
    wanted = parse_query(results.query.text).folded_terms() if results.query.text else set()
    for spec in all_specs():
        if spec.describe is not None and by_type.get(spec.type):
            spec.describe(by_type[spec.type], user, wanted)
    return results


def more_like_this(
    user, type: str, pk, *, limit: int = 5, types: Sequence[str] | None = None
) -> list[SearchHit]:
    return get_backend().more_like_this(
        type, str(pk), principals=principals_for(user), limit=limit, types=types
    )


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


def request_reindex(actor, type: str) -> bool:
    """Queue a tracked rebuild of one type's index (an editor's repair); False when one is
    already queued or running, so repeated clicks do not pile up rebuilds."""
    kind = reindex_job_kind(type)
    if tracked_jobs.pending(kind):
        return False
    job = tracked_jobs.create(kind, label=str(get_spec(type).label), requested_by=actor, total=0)
    tracked_jobs.enqueue(job, tasks.reindex_types, job.pk, [type])
    return True


def index_failures() -> dict[str, list[IndexFailure]]:
    """The records that failed to index, by type (for the status page and `sti status`)."""
    out: dict[str, list[IndexFailure]] = {}
    for failure in IndexFailure.objects.all():
        out.setdefault(failure.type, []).append(failure)
    return out


__all__ = [
    "Coverage",
    "coverage",
    "get_backend",
    "index_failures",
    "index_records",
    "more_like_this",
    "principals_for",
    "reindex",
    "request_reindex",
    "reset_backend",
    "search",
]
