"""Corpora: which records a similarity index holds, and the process-wide index of each.

A corpus is one matrix over one or more *sources* (kinds of record). Each corpus builds its
matrix on disk under `DATA_DIR/similarity/<name>-<token>/` (`<name>.pickle` points at the
current build), every process memory-maps it (engine.py: the pages are shared, not copied),
picks up a newer build saved by another process, and catches
up on each query (at most every CATCH_UP_SECONDS) with the rows changed since it was built;
`rebuild()` recomputes the idf weights from scratch. A corpus too large to build inside a web
request (STI_SIMILARITY_INLINE_MAX) raises IndexNotReady and queues the worker's rebuild.

numpy, scipy and scikit-learn are imported only when a matrix is built or loaded, so an
app can declare its corpus in `AppConfig.ready()` at no cost.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils.module_loading import import_string

from sti.core import expansion
from sti.core.similarity.highlight import highlight_pair

if TYPE_CHECKING:
    from sti.core.similarity.engine import SimilarityIndex

__all__ = [
    "CATCH_UP_SECONDS",
    "Corpus",
    "Description",
    "IndexNotReady",
    "Match",
    "ModelSource",
    "Source",
]

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.45
CATCH_UP_SECONDS = 2.0
# Bumped whenever what is pickled changes shape; an older cache is rebuilt.
CACHE_VERSION = 4
# A queued rebuild is assumed lost (worker down, crash) after this long and is queued again.
REBUILD_MARKER_SECONDS = 3600
# Named, not imported: the task module looks corpora up in the registry, which imports this one.
DEFAULT_REBUILD_TASK = "sti.core.similarity.tasks.rebuild_corpus_task"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


class IndexNotReady(Exception):
    """No usable matrix and the corpus is too large to build one inside a web request."""


@dataclass
class Description:
    """What a match shows: its title, the text its shared passages are marked in, and any
    fields the corpus asked for (organization, status...)."""

    title: str
    body: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Match:
    kind: str
    object_id: int
    title: str
    score: float
    query_html: str = ""
    match_html: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------
class Source:
    """One kind of record in a corpus. `ModelSource` covers a Django model; subclass this for
    anything else (the core tests index a plain list)."""

    kind: str  # stored with each match: "task", "document", "offer"...

    def records(self) -> Iterable[tuple[int, str]]:
        """Every candidate as (primary key, text to index)."""
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def watermark(self) -> Any:
        """The newest change time now; None when the source cannot be caught up (then only
        a rebuild sees its edits)."""
        return None

    @property
    def catches_up(self) -> bool:
        return False

    def changed_since(self, mark) -> tuple[list[tuple[int, str]], list[int]]:
        """Records added or edited after `mark` (every record if None), and the keys of
        records that stopped being candidates since then."""
        return [], []

    def describe(self, pks: Sequence[int]) -> dict[int, Description]:
        """The candidates among `pks` (a record deleted since the build is left out)."""
        raise NotImplementedError


@dataclass(eq=False)
class ModelSource(Source):
    """The rows of a model. `fields` maps each text field to its weight: the number of times
    it is repeated in the indexed text (a title says most about what a record is about).

    `model` may be an "app_label.Model" string: a source whose app is not installed is
    empty. `queryset` gives the candidates (default: every row); `changed_field` is a
    timestamp set on every save, read to catch up with edits without a rebuild.
    """

    kind: str
    model: type[Model] | str
    fields: dict[str, int]
    title_field: str = "title"
    queryset: Callable[[], QuerySet] | None = None
    changed_field: str | None = "updated_at"
    metadata_fields: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.fields or any(weight < 1 for weight in self.fields.values()):
            raise ValueError(f"similarity source {self.kind!r}: fields need weights ≥ 1")

    def get_model(self) -> type[Model] | None:
        if not isinstance(self.model, str):
            return self.model
        try:
            return apps.get_model(self.model)
        except LookupError:
            return None

    def candidates(self) -> QuerySet | None:
        model = self.get_model()
        if model is None:
            return None
        return self.queryset() if self.queryset is not None else model._default_manager.all()

    def text(self, values: dict) -> str:
        parts = []
        for name, weight in self.fields.items():
            if values.get(name):
                parts.extend([str(values[name])] * weight)
        return "\n".join(parts)

    def _rows(self, queryset: QuerySet) -> Iterable[tuple[int, str]]:
        names = list(self.fields)
        for pk, *values in queryset.values_list("pk", *names).iterator(chunk_size=5000):
            yield pk, self.text(dict(zip(names, values, strict=True)))

    def records(self):
        queryset = self.candidates()
        return () if queryset is None else self._rows(queryset)

    def count(self) -> int:
        queryset = self.candidates()
        return 0 if queryset is None else queryset.count()

    @property
    def catches_up(self) -> bool:
        model = self.get_model()
        return (
            model is not None
            and self.changed_field is not None
            and any(f.name == self.changed_field for f in model._meta.get_fields())
        )

    def watermark(self):
        if not self.catches_up:
            return None
        model = self.get_model()
        return model._default_manager.aggregate(m=Max(self.changed_field))["m"]

    def changed_since(self, mark):
        if not self.catches_up:
            return [], []
        live = self.candidates()
        after = {f"{self.changed_field}__gt": mark}
        changed = list(self._rows(live if mark is None else live.filter(**after)))
        removed = []
        if mark is not None and self.queryset is not None:
            # A record withdrawn since the last look (no longer a candidate) drops out at once.
            model = self.get_model()
            removed = list(
                model._default_manager.filter(**after)
                .exclude(pk__in=live.values("pk"))
                .values_list("pk", flat=True)
            )
        return changed, removed

    def describe(self, pks):
        queryset = self.candidates()
        if queryset is None or not pks:
            return {}
        names = list(dict.fromkeys([self.title_field, *self.fields, *self.metadata_fields]))
        found = {}
        for row in queryset.filter(pk__in=list(pks)).values("pk", *names):
            body = "\n".join(str(row[name]) for name in self.fields if row[name])
            found[row["pk"]] = Description(
                title=str(row[self.title_field] or ""),
                body=body,
                metadata={name: row[name] for name in self.metadata_fields},
            )
        return found


# ---------------------------------------------------------------------------
# The corpus and its process-wide matrix
# ---------------------------------------------------------------------------
def inline_max() -> int:
    return int(getattr(settings, "STI_SIMILARITY_INLINE_MAX", 5000))


@dataclass(eq=False)
class Corpus:
    """A named set of sources matched together, e.g. tasks and library documents for the
    duplicate check of proposals, or offers and demands for technology matching.

    `threshold_setting` names a setting that overrides `default_threshold` (the score from
    which a match counts as a likely duplicate). `rebuild_task` is the dotted path of the
    worker's task that rebuilds the matrix, enqueued with the id of its TrackedJob (default:
    the core `rebuild_corpus_task`); a path, because that task's module imports the corpus. `explain` marks what a query and a match share (default: the shared syllable
    bigrams, `highlight_pair`). `expand`: add the registered expansions of the query
    (`sti.core.expansion`: regional words, synonyms) at their lower weight.
    """

    name: str
    label: str
    sources: list[Source]
    default_threshold: float = DEFAULT_THRESHOLD
    threshold_setting: str | None = None
    rebuild_task: str | None = None
    explain: Callable[[str, str], tuple[str, str]] = highlight_pair
    expand: bool = True

    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    _index: SimilarityIndex | None = field(default=None, init=False, repr=False)
    _stale: bool = field(default=False, init=False, repr=False)

    def __post_init__(self):
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"similarity corpus name {self.name!r}: use a-z, 0-9, _ and -")
        kinds = [source.kind for source in self.sources]
        if not kinds or len(set(kinds)) != len(kinds) or len(kinds) > 127:
            raise ValueError(f"similarity corpus {self.name!r}: give distinct source kinds")
        self._codes = {kind: code for code, kind in enumerate(kinds)}

    def __str__(self) -> str:
        return str(self.label)

    # -- settings ------------------------------------------------------------------
    def threshold(self) -> float:
        if self.threshold_setting:
            return float(getattr(settings, self.threshold_setting, self.default_threshold))
        return self.default_threshold

    # -- building ------------------------------------------------------------------
    def _watermarks(self) -> dict:
        return {s.kind: s.watermark() for s in self.sources if s.catches_up}

    def _records(self) -> Iterable[tuple[int, int, str]]:
        for code, source in enumerate(self.sources):
            for pk, text in source.records():
                yield code, pk, text

    def rebuild(self, save: bool = True) -> SimilarityIndex:
        """Recompute vocabulary and weights from every record of every source."""
        from sti.core.similarity.engine import SimilarityIndex

        with self._lock:
            # Marks first: a record saved while the matrix is built is caught up later.
            watermarks = self._watermarks()
            started = time.perf_counter()
            folder = self._new_build_dir() if save else None
            index = SimilarityIndex.build(self._records(), watermarks, folder)
            logger.info(
                "similarity corpus %s: %d records in %.1f s",
                self.name,
                len(index),
                time.perf_counter() - started,
            )
            if save:
                self._save(index)
            index.checked_at = time.monotonic()
            self._index = index
            return index

    def corpus_size(self) -> int:
        return sum(source.count() for source in self.sources)

    def available(self) -> bool:
        """Cheap: can a query be answered without a long build (a matrix in memory or on
        disk, or a corpus small enough to build inline)?"""
        return (
            self._index is not None
            or self.cache_path().exists()
            or self.corpus_size() <= inline_max()
        )

    # -- the worker's rebuild ------------------------------------------------------
    @property
    def job_kind(self) -> str:
        """The kind of the TrackedJob rows of this corpus's rebuilds."""
        return f"similarity.{self.name}"

    def rebuild_pending(self) -> bool:
        from sti.core import jobs

        return jobs.pending(self.job_kind, within=REBUILD_MARKER_SECONDS)

    def request_rebuild(self) -> bool:
        """Queue the worker's rebuild (after the commit) unless one is already queued."""
        if self.rebuild_pending():
            return False

        def enqueue():
            if self.rebuild_pending():  # queued meanwhile by another request
                return
            from sti.core import jobs

            job = jobs.create(self.job_kind, label=str(self.label))
            task = import_string(self.rebuild_task or DEFAULT_REBUILD_TASK)
            jobs.enqueue(job, task, job.pk, after_commit=False)  # already after the commit

        transaction.on_commit(enqueue)
        return True

    # -- the disk cache ------------------------------------------------------------
    def cache_path(self):
        """The pointer to the current build: a small pickle naming its folder (beside it,
        `<name>-<token>/`, memory-mapped by every process) and its watermarks."""
        path = settings.DATA_DIR / "similarity"
        path.mkdir(parents=True, exist_ok=True)
        return path / f"{self.name}.pickle"

    def _new_build_dir(self):
        return self.cache_path().parent / f"{self.name}-{uuid.uuid4().hex[:12]}"

    def _build_dirs(self):
        return [p for p in self.cache_path().parent.glob(f"{self.name}-*") if p.is_dir()]

    def _signature(self) -> tuple:
        return (CACHE_VERSION, tuple(source.kind for source in self.sources))

    def _save(self, index: SimilarityIndex) -> None:
        path = self.cache_path()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        pointer = (self._signature(), index.directory.name, index.watermarks)
        with tmp.open("wb") as handle:
            pickle.dump(pointer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        # Older builds go: a process still reading one keeps its mapped (unlinked) files. A
        # build still being written elsewhere (no meta.json yet) stays, unless abandoned.
        for old in self._build_dirs():
            finished = (old / "meta.json").exists()
            abandoned = time.time() - old.stat().st_mtime > REBUILD_MARKER_SECONDS
            if old != index.directory and (finished or abandoned):
                shutil.rmtree(old, ignore_errors=True)

    def _pointer(self) -> tuple | None:
        path = self.cache_path()
        if not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                signature, folder, watermarks = pickle.load(handle)  # our own file
        except Exception:  # a corrupt or foreign cache is rebuilt
            logger.warning("similarity cache %s unreadable, rebuilding", path)
            return None
        # Another version, or sources added or reordered since: the kind codes differ.
        return (folder, watermarks) if signature == self._signature() else None

    def _load(self) -> SimilarityIndex | None:
        from sti.core.similarity.engine import SimilarityIndex

        pointer = self._pointer()
        if pointer is None:
            return None
        folder, watermarks = pointer
        try:
            return SimilarityIndex(self.cache_path().parent / folder, watermarks)
        except Exception:
            logger.warning("similarity matrix %s unreadable, rebuilding", folder)
            return None

    # -- the process-wide matrix ---------------------------------------------------
    def mark_stale(self) -> None:
        """Tell this process's matrix to catch up on its next query (after a bulk write)."""
        self._stale = True

    def reset(self, delete_cache: bool = False) -> None:
        """Forget the in-memory matrix (tests, or after a bulk import)."""
        with self._lock:
            self._index, self._stale = None, False
            if delete_cache:
                self.cache_path().unlink(missing_ok=True)
                for folder in self._build_dirs():
                    shutil.rmtree(folder, ignore_errors=True)

    def get_index(self, *, allow_build: bool = False) -> SimilarityIndex:
        """The process-wide matrix, loaded from disk or caught up with recent edits.

        With no matrix at all, only a small corpus (STI_SIMILARITY_INLINE_MAX) or
        `allow_build` builds one here; otherwise IndexNotReady: a 300,000-record build takes
        over a minute and belongs to the worker (`request_rebuild`).
        """
        with self._lock:
            if self._index is None:
                loaded = self._load()
                if loaded is None:
                    if not (allow_build or self.corpus_size() <= inline_max()):
                        raise IndexNotReady(self.name)
                    loaded = self.rebuild()
                self._index = loaded
                self._index.checked_at = 0.0
            index = self._index
            if self._stale or time.monotonic() - index.checked_at > CATCH_UP_SECONDS:
                index = self._newer_build(index)
                self._catch_up(index)
                index.checked_at = time.monotonic()
                self._stale = False
            return index

    def _newer_build(self, index: SimilarityIndex) -> SimilarityIndex:
        """The build another process (the worker) saved since this one loaded its own."""
        pointer = self._pointer()
        if pointer is None or pointer[0] == index.directory.name:
            return index
        loaded = self._load()
        if loaded is None:
            return index
        self._index = loaded
        return loaded

    def _catch_up(self, index: SimilarityIndex) -> None:
        for code, source in enumerate(self.sources):
            if not source.catches_up:
                continue
            mark = source.watermark()  # before reading: a save meanwhile is seen next time
            changed, removed = source.changed_since(index.watermarks.get(source.kind))
            for pk in removed:
                index.remove((code, int(pk)))
            index.upsert((code, pk, text) for pk, text in changed)
            if mark is not None:
                index.watermarks[source.kind] = mark

    # -- queries -------------------------------------------------------------------
    def find_similar(
        self,
        text: str,
        limit: int = 10,
        *,
        highlight: bool = True,
        kinds: Iterable[str] | None = None,
    ) -> list[Match]:
        """The records closest to `text`, best first, with shared passages marked; only
        the given `kinds` of record when set.

        Raises IndexNotReady when the matrix must first be rebuilt by the worker."""
        codes = None if kinds is None else [self._codes[kind] for kind in kinds]
        # Other words for the same thing (the thesaurus, when an app registers it), weaker
        # than the typed ones.
        extra = expansion.expansions(text) if self.expand else ()
        hits = self.get_index().search(text, limit=limit * 2, kinds=codes, expansions=extra)
        details: dict[tuple[int, int], Description] = {}
        for code, source in enumerate(self.sources):
            pks = [pk for kind, pk, _score in hits if kind == code]
            if pks:
                for pk, description in source.describe(pks).items():
                    details[(code, pk)] = description
        matches = []
        for code, pk, score in hits:
            found = details.get((code, pk))
            if found is None:  # deleted since the matrix was built
                continue
            match = Match(
                kind=self.sources[code].kind,
                object_id=pk,
                title=found.title,
                score=score,
                metadata=found.metadata,
            )
            if highlight:
                match.query_html, match.match_html = self.explain(text, found.body)
            matches.append(match)
            if len(matches) == limit:
                break
        return matches
