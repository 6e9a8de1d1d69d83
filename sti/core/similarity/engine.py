"""The matrix: TF-IDF over folded syllable 1+2-grams, cosine by sparse dot product.

Vietnamese words are mostly two syllables ("nghiên cứu", "cá tra"), so syllable bigrams play
the part English stemming plays elsewhere; folding (no marks, đ→d) makes "ca tra" match
"cá tra". This module knows nothing of Django or of any corpus: rows are keyed by
(kind code, primary key) and `Corpus` (corpus.py) feeds it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from sti.core.text import VIETNAMESE_STOPWORDS, tokenize_folded

__all__ = ["N_FEATURES", "SimilarityIndex", "analyze"]

# Hashed n-gram columns: no vocabulary to hold in memory (a 300,000-record corpus has
# millions of distinct syllable bigrams), and n-grams first seen after the build still count.
N_FEATURES = 2**22

Key = tuple[int, int]  # (kind code, primary key)


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


class SimilarityIndex:
    """Rows = records (kind code, id); columns = n-grams. Rows are L2-normalised, so a dot
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
        self.extra_keys: list[Key] = []
        self.extra_matrix = None
        self.watermarks = dict(watermarks)
        self.checked_at = 0.0

    @classmethod
    def build(
        cls, records: Iterable[tuple[int, int, str]], watermarks: dict | None = None
    ) -> SimilarityIndex:
        """`records`: (kind code, primary key, text)."""
        kinds, ids, texts = [], [], []
        for kind, pk, text in records:
            kinds.append(kind)
            ids.append(pk)
            texts.append(text)
        transformer = TfidfTransformer(sublinear_tf=True)
        if texts:
            counts = _hasher().transform(texts)
            transformer.fit(counts)
            matrix = transformer.transform(counts).astype(np.float32)
        else:
            # An empty corpus (a fresh install) still answers, with nothing: fit on one empty
            # row (scikit-learn refuses to transform zero rows).
            transformer.fit(sparse.csr_matrix((1, N_FEATURES), dtype=np.float32))
            matrix = sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
        return cls(transformer, matrix, kinds, ids, watermarks or {})

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self.extra_keys)

    def upsert(self, records: Iterable[tuple[int, int, str]]) -> int:
        """Add or replace records; weights use the idf of the last build until the next one."""
        records = list(records)
        if not records:
            return 0
        vectors = self.vectors([text for _k, _i, text in records])
        for (kind, pk, _text), row in zip(records, vectors, strict=True):
            key = (int(kind), int(pk))
            self.remove(key)
            self.extra_keys.append(key)
            self.extra_rows.append(row)
        self._stack_extra()
        return len(records)

    def remove(self, key: Key) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            self.alive[row] = False
        if key in self.extra_keys:
            index = self.extra_keys.index(key)
            del self.extra_keys[index]
            del self.extra_rows[index]
            self._stack_extra()

    def _stack_extra(self) -> None:
        self.extra_matrix = sparse.vstack(self.extra_rows).tocsc() if self.extra_rows else None

    def vectors(self, texts: list[str]):
        return self.transformer.transform(_hasher().transform(texts)).astype(np.float32)

    def vector(self, text: str):
        return self.vectors([text])

    def search(
        self, text: str, limit: int = 10, kinds: Iterable[int] | None = None
    ) -> list[tuple[int, int, float]]:
        """The `limit` best (kind code, id, cosine), best first; only `kinds` when given."""
        query = self.vector(text)
        if query.nnz == 0:
            return []
        wanted = None if kinds is None else np.asarray(sorted(set(kinds)), dtype=np.int8)
        columns, weights = query.indices, query.data
        candidates: list[tuple[float, int, int]] = []
        if self.matrix.shape[0]:
            scores = self.matrix[:, columns] @ weights
            scores[~self.alive] = 0.0
            if wanted is not None:
                scores[~np.isin(self.kinds, wanted)] = 0.0
            candidates += self._top(scores, self.kinds, self.ids, limit)
        if self.extra_matrix is not None and self.extra_keys:
            scores = self.extra_matrix[:, columns] @ weights
            extra_kinds = np.array([k for k, _i in self.extra_keys], dtype=np.int8)
            ids = np.array([i for _k, i in self.extra_keys], dtype=np.int64)
            if wanted is not None:
                scores[~np.isin(extra_kinds, wanted)] = 0.0
            candidates += self._top(scores, extra_kinds, ids, limit)
        candidates.sort(key=lambda item: -item[0])
        return [(k, i, s) for s, k, i in candidates[:limit]]

    @staticmethod
    def _top(scores, kinds, ids, limit):
        if len(scores) > limit:
            top = np.argpartition(-scores, limit)[:limit]
        else:
            top = np.arange(len(scores))
        return [(float(scores[r]), int(kinds[r]), int(ids[r])) for r in top if scores[r] > 0]
