"""Duplicate check (kiểm tra trùng lặp): TF-IDF over folded syllable 1+2-grams, cosine.

Vietnamese words are mostly two syllables ("nghiên cứu", "cá tra"), so syllable bigrams play
the part English stemming plays elsewhere; folding (no marks, đ→d) makes "ca tra" match
"cá tra". The candidates are every task (title, objectives, content) and every library
document (title, abstract). The matrix lives in memory, is cached on disk under
`DATA_DIR/projects/`, and catches up with rows changed since it was built on each query;
`rebuild()` recomputes the vocabulary and weights from scratch.
"""

from __future__ import annotations

import html
import logging
import pickle
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.conf import settings
from django.db import transaction
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from sti.core import jobs
from sti.core.text import VIETNAMESE_STOPWORDS, fold_lower, tokenize_folded

logger = logging.getLogger(__name__)

KIND_TASK, KIND_DOCUMENT = "task", "document"
_KIND_CODES = {KIND_TASK: 0, KIND_DOCUMENT: 1}
_KIND_NAMES = {code: name for name, code in _KIND_CODES.items()}
DEFAULT_THRESHOLD = 0.45
CATCH_UP_SECONDS = 2.0
CACHE_VERSION = 2
# Hashed n-gram columns: no vocabulary to hold in memory (a 300,000-record corpus has
# millions of distinct syllable bigrams), and n-grams first seen after the build still count.
N_FEATURES = 2**22


# A queued rebuild is assumed lost (worker down, crash) after this long and is queued again.
REBUILD_MARKER_SECONDS = 3600


class IndexNotReady(Exception):
    """No usable matrix and the corpus is too large to build one inside a web request."""


def threshold() -> float:
    return float(getattr(settings, "STI_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD))


def analyze(text: str) -> list[str]:
    """Folded syllable unigrams (stopwords removed) and bigrams (all syllables)."""
    tokens = tokenize_folded(text)
    grams = [token for token in tokens if token not in VIETNAMESE_STOPWORDS]
    grams.extend(f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return grams


def _hasher() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer=analyze, n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float32
    )


@dataclass
class Match:
    kind: str
    object_id: int
    title: str
    score: float
    query_html: str = ""
    match_html: str = ""


# ---------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------
class SimilarityIndex:
    """Rows = records (kind, id); columns = n-grams. Rows are L2-normalised, so a dot
    product is the cosine. Updated records are appended and their old row masked out."""

    def __init__(self, transformer: TfidfTransformer, matrix, kinds, ids, watermarks: dict):
        self.transformer = transformer
        self.matrix = matrix.tocsc()  # column slices = postings of the query's n-grams
        self.kinds = np.asarray(kinds, dtype=np.int8)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.alive = np.ones(len(self.ids), dtype=bool)
        self.rows = {
            (int(k), int(i)): row
            for row, (k, i) in enumerate(zip(self.kinds, self.ids, strict=True))
        }
        self.extra_rows: list = []
        self.extra_keys: list[tuple[int, int]] = []
        self.extra_matrix = None
        self.watermarks = dict(watermarks)
        self.checked_at = 0.0

    @classmethod
    def build(
        cls, records: Iterable[tuple[str, int, str]], watermarks: dict | None = None
    ) -> SimilarityIndex:
        kinds, ids, texts = [], [], []
        for kind, pk, text in records:
            kinds.append(_KIND_CODES[kind])
            ids.append(pk)
            texts.append(text)
        counts = (
            _hasher().transform(texts)
            if texts
            else sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
        )
        transformer = TfidfTransformer(sublinear_tf=True)
        # An empty registry still answers (with nothing): fit on one empty row.
        transformer.fit(counts if texts else sparse.csr_matrix((1, N_FEATURES), dtype=np.float32))
        matrix = transformer.transform(counts).astype(np.float32)
        return cls(transformer, matrix, kinds, ids, watermarks or {})

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self.extra_keys)

    def upsert(self, records: Iterable[tuple[str, int, str]]) -> int:
        """Add or replace records; weights use the idf of the last build until the next one."""
        records = list(records)
        if not records:
            return 0
        vectors = self.vectors([text for _k, _i, text in records])
        for (kind, pk, _text), row in zip(records, vectors, strict=True):
            key = (_KIND_CODES[kind], int(pk))
            self.remove(key)
            self.extra_keys.append(key)
            self.extra_rows.append(row)
        self.extra_matrix = sparse.vstack(self.extra_rows).tocsc() if self.extra_rows else None
        return len(records)

    def remove(self, key: tuple[int, int]) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            self.alive[row] = False
        if key in self.extra_keys:
            index = self.extra_keys.index(key)
            del self.extra_keys[index]
            del self.extra_rows[index]

    def vectors(self, texts: list[str]):
        return self.transformer.transform(_hasher().transform(texts)).astype(np.float32)

    def vector(self, text: str):
        return self.vectors([text])

    def search(self, text: str, limit: int = 10) -> list[tuple[str, int, float]]:
        query = self.vector(text)
        if query.nnz == 0:
            return []
        columns, weights = query.indices, query.data
        candidates: list[tuple[float, int, int]] = []
        if self.matrix.shape[0]:
            scores = self.matrix[:, columns] @ weights
            scores[~self.alive] = 0.0
            candidates += self._top(scores, self.kinds, self.ids, limit)
        if self.extra_matrix is not None and self.extra_keys:
            scores = self.extra_matrix[:, columns] @ weights
            kinds = np.array([k for k, _i in self.extra_keys], dtype=np.int8)
            ids = np.array([i for _k, i in self.extra_keys], dtype=np.int64)
            candidates += self._top(scores, kinds, ids, limit)
        candidates.sort(key=lambda item: -item[0])
        return [(_KIND_NAMES[k], i, s) for s, k, i in candidates[:limit]]

    @staticmethod
    def _top(scores, kinds, ids, limit):
        if len(scores) > limit:
            top = np.argpartition(-scores, limit)[:limit]
        else:
            top = np.arange(len(scores))
        return [(float(scores[r]), int(kinds[r]), int(ids[r])) for r in top if scores[r] > 0]


# ---------------------------------------------------------------------------
# Records from the database
# ---------------------------------------------------------------------------
def _document_model():
    try:
        return apps.get_model("library", "Document")
    except LookupError:
        return None


def _live_documents(Document):
    """Withdrawn library records are no longer candidates."""
    manager = Document.objects
    return manager.live() if hasattr(manager, "live") else manager.all()


def _task_text(title, objectives, content) -> str:
    # The title is repeated: it is the densest statement of what a task is about.
    return "\n".join(part for part in (title, title, objectives, content) if part)


def _document_text(title, abstract) -> str:
    return "\n".join(part for part in (title, title, abstract) if part)


def task_records(queryset=None):
    from sti.projects.models import Task

    queryset = Task.objects.all() if queryset is None else queryset
    for pk, title, objectives, content in queryset.values_list(
        "pk", "title", "objectives", "content"
    ).iterator(chunk_size=5000):
        yield KIND_TASK, pk, _task_text(title, objectives, content)


def document_records(queryset=None):
    Document = _document_model()
    if Document is None:
        return
    queryset = _live_documents(Document) if queryset is None else queryset
    for pk, title, abstract in queryset.values_list("pk", "title", "abstract").iterator(
        chunk_size=5000
    ):
        yield KIND_DOCUMENT, pk, _document_text(title, abstract)


def _current_watermarks() -> dict:
    from django.db.models import Max

    from sti.projects.models import Task

    marks = {KIND_TASK: Task.objects.aggregate(m=Max("updated_at"))["m"]}
    Document = _document_model()
    if Document is not None and _has_field(Document, "updated_at"):
        marks[KIND_DOCUMENT] = Document.objects.aggregate(m=Max("updated_at"))["m"]
    return marks


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _changed_since(index: SimilarityIndex) -> list[tuple[str, int, str]]:
    from sti.projects.models import Task

    changed = []
    mark = index.watermarks.get(KIND_TASK)
    tasks = Task.objects.all() if mark is None else Task.objects.filter(updated_at__gt=mark)
    changed += list(task_records(tasks))
    Document = _document_model()
    if Document is not None and _has_field(Document, "updated_at"):
        mark = index.watermarks.get(KIND_DOCUMENT)
        live = _live_documents(Document)
        documents = live if mark is None else live.filter(updated_at__gt=mark)
        changed += list(document_records(documents))
        # A record withdrawn since the last look drops out at once.
        if mark is not None:
            gone = Document.objects.filter(updated_at__gt=mark).exclude(pk__in=live.values("pk"))
            for pk in gone.values_list("pk", flat=True):
                index.remove((_KIND_CODES[KIND_DOCUMENT], pk))
    return changed


# ---------------------------------------------------------------------------
# The process-wide index, its disk cache and its catch-up
# ---------------------------------------------------------------------------
_lock = threading.RLock()
_index: SimilarityIndex | None = None
_stale = False


def cache_path():
    path = settings.DATA_DIR / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path / "similarity.pickle"


def rebuild(save: bool = True) -> SimilarityIndex:
    """Recompute vocabulary and weights from every task and document."""
    global _index
    with _lock:
        watermarks = _current_watermarks()
        records = list(task_records()) + list(document_records())
        started = time.perf_counter()
        index = SimilarityIndex.build(records, watermarks)
        logger.info(
            "similarity index: %d records in %.1f s",
            len(records),
            time.perf_counter() - started,
        )
        if save:
            _save(index)
        index.checked_at = time.monotonic()
        _index = index
        return index


def inline_max() -> int:
    return int(getattr(settings, "STI_SIMILARITY_INLINE_MAX", 5000))


def corpus_size() -> int:
    from sti.projects.models import Task

    size = Task.objects.count()
    Document = _document_model()
    if Document is not None:
        size += _live_documents(Document).count()
    return size


def available() -> bool:
    """Cheap: can a query be answered without a long build (a matrix in memory or on disk,
    or a corpus small enough to build inline)?"""
    return _index is not None or cache_path().exists() or corpus_size() <= inline_max()


REBUILD_JOB = "projects.similarity_rebuild"


def rebuild_pending() -> bool:
    return jobs.pending(REBUILD_JOB, within=REBUILD_MARKER_SECONDS)


def request_rebuild() -> bool:
    """Queue the worker's rebuild, tracked as a job (after the commit), unless one is queued."""
    if rebuild_pending():
        return False

    def enqueue():
        from sti.projects.tasks import rebuild_similarity

        if rebuild_pending():  # queued meanwhile by another request
            return
        job = jobs.create(REBUILD_JOB)
        rebuild_similarity.enqueue(job.pk)

    transaction.on_commit(enqueue)
    return True


def _save(index: SimilarityIndex) -> None:
    path = cache_path()
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        pickle.dump((CACHE_VERSION, index), handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def _load() -> SimilarityIndex | None:
    path = cache_path()
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            version, index = pickle.load(handle)  # our own file under DATA_DIR
    except Exception:  # a corrupt or foreign cache is rebuilt
        logger.warning("similarity cache unreadable, rebuilding")
        return None
    return index if version == CACHE_VERSION else None


def mark_stale() -> None:
    global _stale
    _stale = True


def reset(delete_cache: bool = False) -> None:
    """Forget the in-memory index (tests, or after a bulk import)."""
    global _index, _stale
    with _lock:
        _index, _stale = None, False
        if delete_cache:
            cache_path().unlink(missing_ok=True)


def get_index(*, allow_build: bool = False) -> SimilarityIndex:
    """The process-wide matrix, loaded from disk or caught up with recent edits.

    With no matrix at all, only a small corpus (STI_SIMILARITY_INLINE_MAX) or `allow_build`
    builds one here; otherwise IndexNotReady: a 300,000-record build takes over a minute and
    belongs to the worker (`request_rebuild`).
    """
    global _index, _stale
    with _lock:
        if _index is None:
            loaded = _load()
            if loaded is None:
                if not (allow_build or corpus_size() <= inline_max()):
                    raise IndexNotReady
                loaded = rebuild()
            _index = loaded
            _index.checked_at = 0.0
        if _stale or time.monotonic() - _index.checked_at > CATCH_UP_SECONDS:
            marks = _current_watermarks()
            changed = _changed_since(_index)
            _index.upsert(changed)
            _index.watermarks.update({k: v for k, v in marks.items() if v is not None})
            _index.checked_at = time.monotonic()
            _stale = False
        return _index


def find_similar(text: str, limit: int = 10, *, highlight: bool = True) -> list[Match]:
    """The closest tasks and documents to `text`, best first, with shared passages marked.

    Raises IndexNotReady when the matrix must first be rebuilt by the worker."""
    hits = get_index().search(text, limit=limit * 2)
    details = _details(hits)
    matches = []
    for kind, pk, score in hits:
        found = details.get((kind, pk))
        if found is None:  # deleted since the index was built
            continue
        title, body = found
        match = Match(kind=kind, object_id=pk, title=title, score=score)
        if highlight:
            match.query_html, match.match_html = highlight_pair(text, body)
        matches.append(match)
        if len(matches) == limit:
            break
    return matches


def _details(hits) -> dict:
    from sti.projects.models import Task

    details = {}
    task_ids = [pk for kind, pk, _s in hits if kind == KIND_TASK]
    for pk, title, objectives, content in Task.objects.filter(pk__in=task_ids).values_list(
        "pk", "title", "objectives", "content"
    ):
        details[(KIND_TASK, pk)] = (title, "\n".join(p for p in (title, objectives, content) if p))
    document_ids = [pk for kind, pk, _s in hits if kind == KIND_DOCUMENT]
    Document = _document_model()
    if document_ids and Document is not None:
        for pk, title, abstract in (
            _live_documents(Document)
            .filter(pk__in=document_ids)
            .values_list("pk", "title", "abstract")
        ):
            details[(KIND_DOCUMENT, pk)] = (title, "\n".join(p for p in (title, abstract) if p))
    return details


# ---------------------------------------------------------------------------
# Highlighting the shared passages
# ---------------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_HIGHLIGHT_CHARS = 4000


def _spans(text: str):
    return [(m.start(), m.end(), fold_lower(m.group())) for m in _WORD.finditer(text)]


def _bigrams(spans) -> set[tuple[str, str]]:
    return {
        (a[2], b[2])
        for a, b in zip(spans, spans[1:], strict=False)
        # "và chất", "của cá": a function word does not make a shared passage.
        if a[2] not in VIETNAMESE_STOPWORDS and b[2] not in VIETNAMESE_STOPWORDS
    }


def _render(text: str, spans, shared: set) -> str:
    marked = [False] * len(spans)
    for i in range(len(spans) - 1):
        if (spans[i][2], spans[i + 1][2]) in shared:
            marked[i] = marked[i + 1] = True
    out, cursor, i = [], 0, 0
    while i < len(spans):
        if not marked[i]:
            i += 1
            continue
        j = i
        # Extend the passage over following marked syllables separated only by spaces.
        while (
            j + 1 < len(spans) and marked[j + 1] and not text[spans[j][1] : spans[j + 1][0]].strip()
        ):
            j += 1
        start, end = spans[i][0], spans[j][1]
        out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor, i = end, j + 1
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def highlight_pair(a: str, b: str) -> tuple[str, str]:
    """Both texts as HTML with the syllable bigrams they share wrapped in <mark>."""
    a, b = a[:MAX_HIGHLIGHT_CHARS], b[:MAX_HIGHLIGHT_CHARS]
    spans_a, spans_b = _spans(a), _spans(b)
    shared = _bigrams(spans_a) & _bigrams(spans_b)
    return _render(a, spans_a, shared), _render(b, spans_b, shared)
