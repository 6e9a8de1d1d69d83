"""The matrix: TF-IDF over folded syllable 1+2-grams, cosine by sparse dot product.

Vietnamese words are mostly two syllables ("nghiên cứu", "cá tra"), so syllable bigrams play
the part English stemming plays elsewhere; folding (no marks, đ→d) makes "ca tra" match
"cá tra". This module knows nothing of Django or of any corpus: rows are keyed by
(kind code, primary key) and `Corpus` (corpus.py) feeds it.

Memory. The matrix lives on disk, in one folder of plain `.npy` files, column-major (the
postings of each hashed n-gram: `indptr`, `indices` = rows, `data` = weights), and every
process opens it with `mmap_mode="r"`: a check reads only the postings of its query's
n-grams, and the pages it reads are the operating system's page cache, shared by every web
worker and the task worker instead of half a gigabyte copied into each. The build never
holds the matrix either: pass 1 hashes the records a chunk at a time, counts document
frequencies and spills (row, column, tf) triples into one file per block of columns; pass 2
reads one block at a time to compute the row norms, then sorts each block by column and
appends it to the output. Its peak is a few hundred megabytes at 300,000 records.

Records added or edited after the build ("extra" rows) and masks of removed rows are held in
memory by each process until the next build.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from sti.core.text import VIETNAMESE_STOPWORDS, fold_lower, tokenize_folded

__all__ = ["FORMAT", "N_FEATURES", "SimilarityIndex", "analyze"]

# Hashed n-gram columns: no vocabulary to hold in memory (a 300,000-record corpus has
# millions of distinct syllable bigrams), and n-grams first seen after the build still count.
N_FEATURES = 2**22
# Bumped whenever the files of a built matrix change meaning.
FORMAT = 4
# Records hashed at a time by the build, and blocks of columns it spills to.
CHUNK = 4096
BLOCK_BITS = 18  # 2**22 columns / 2**18 = 16 blocks
# A check reads the postings of its rarest n-grams up to this many entries, keeps the best
# RERANK rows by that partial score and re-ranks them on their whole rows.
POSTINGS_BUDGET = 200_000
MIN_COLUMNS = 8
RERANK = 500
PAIR = np.dtype([("col", "<i4"), ("tf", "<f4")])
SPILL = np.dtype([("row", "<i4"), ("col", "<i4"), ("tf", "<f4")])

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


def _sublinear(counts):
    """1 + ln(tf), in place (what TfidfTransformer(sublinear_tf=True) does)."""
    np.log(counts.data, out=counts.data)
    counts.data += 1
    return counts


def _key64(kinds, ids):
    return (np.asarray(kinds, dtype=np.int64) << 48) | np.asarray(ids, dtype=np.int64)


def _write_npy(path: Path, dtype, chunks: Iterable[np.ndarray], length: int) -> None:
    """An .npy file written chunk by chunk (never the whole array in memory)."""
    with path.open("wb") as handle:
        np.lib.format.write_array_header_1_0(
            handle, {"descr": np.dtype(dtype).str, "fortran_order": False, "shape": (length,)}
        )
        written = 0
        for chunk in chunks:
            chunk = np.ascontiguousarray(chunk, dtype=dtype)
            handle.write(chunk.tobytes())
            written += len(chunk)
    if written != length:
        raise RuntimeError(f"{path.name}: wrote {written} of {length} values")


def _fold_pattern(term: str):
    """A regex finding `term` in a text whatever its marks and case (compared folded)."""
    return re.compile(
        r"(?<![^\W_])" + r"\s+".join(map(re.escape, fold_lower(term).split())) + r"(?![^\W_])"
    )


class SimilarityIndex:
    """Rows = records (kind code, id); columns = n-grams. Rows are L2-normalised, so a dot
    product is the cosine. Updated records are appended in memory and their old row masked."""

    def __init__(self, directory: Path, watermarks: dict | None = None, *, temporary=False):
        self.directory = Path(directory)
        meta = json.loads((self.directory / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"similarity matrix {directory}: format {meta.get('format')}")

        def load(name):
            # A plain array over the mapping: slicing a np.memmap costs a Python object each.
            return np.asarray(np.load(self.directory / f"{name}.npy", mmap_mode="r"))

        self.idf, self.indptr = load("idf"), load("indptr")
        self.indices, self.data = load("indices"), load("data")
        self.row_ptr = load("row_ptr")
        self.row_indices, self.row_data = load("row_indices"), load("row_data")
        self.kinds, self.ids = load("kinds"), load("ids")
        self.sorted_keys, self.sorted_rows = load("keys"), load("key_rows")
        self.n_rows = int(meta["rows"])
        self.nnz = int(meta["nnz"])
        self.dead = np.zeros(self.n_rows, dtype=bool)
        self.extra_rows: list = []
        self.extra_keys: list[Key] = []
        self.extra_matrix = None
        self.watermarks = dict(watermarks or {})
        self.checked_at = 0.0
        if temporary:
            # Unlinked, the mapped files live on until this object lets go of them.
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- building ------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        records: Iterable[tuple[int, int, str]],
        watermarks: dict | None = None,
        directory: Path | None = None,
    ) -> SimilarityIndex:
        """`records`: (kind code, primary key, text). Written to `directory` (a new folder;
        a temporary one, deleted once opened, when None) and opened from there."""
        temporary = directory is None
        directory = Path(tempfile.mkdtemp(prefix="sti-similarity-")) if temporary else directory
        directory.mkdir(parents=True, exist_ok=True)
        spill_dir = Path(tempfile.mkdtemp(prefix="spill-", dir=directory))
        try:
            cls._write(records, directory, spill_dir)
        finally:
            shutil.rmtree(spill_dir, ignore_errors=True)
        return cls(directory, watermarks, temporary=temporary)

    @staticmethod
    def _write(records, directory: Path, spill_dir: Path) -> None:
        hasher = _hasher()
        n_blocks = N_FEATURES >> BLOCK_BITS
        spills = [(spill_dir / f"{b}.bin").open("wb") for b in range(n_blocks)]
        by_row = (spill_dir / "rows.bin").open("wb")  # (column, tf) in row order
        df = np.zeros(N_FEATURES, dtype=np.int64)
        row_sizes: list[np.ndarray] = []
        kinds: list[np.ndarray] = []
        ids: list[np.ndarray] = []
        n_rows = 0

        def flush(batch):
            nonlocal n_rows
            counts = _sublinear(hasher.transform([text for _k, _i, text in batch]))
            np.add(df, np.bincount(counts.indices, minlength=N_FEATURES), out=df)
            triples = np.empty(counts.nnz, dtype=SPILL)
            triples["row"] = n_rows + np.repeat(
                np.arange(len(batch), dtype=np.int32), np.diff(counts.indptr)
            )
            triples["col"], triples["tf"] = counts.indices, counts.data
            block = counts.indices >> BLOCK_BITS
            order = np.argsort(block, kind="stable")
            bounds = np.searchsorted(block[order], np.arange(n_blocks + 1))
            for b in range(n_blocks):
                triples[order[bounds[b] : bounds[b + 1]]].tofile(spills[b])
            pairs = np.empty(counts.nnz, dtype=PAIR)
            pairs["col"], pairs["tf"] = counts.indices, counts.data
            pairs.tofile(by_row)
            row_sizes.append(np.diff(counts.indptr))
            kinds.append(np.fromiter((k for k, _i, _t in batch), np.int8, len(batch)))
            ids.append(np.fromiter((i for _k, i, _t in batch), np.int64, len(batch)))
            n_rows += len(batch)

        try:
            batch = []
            for record in records:
                batch.append(record)
                if len(batch) == CHUNK:
                    flush(batch)
                    batch = []
            if batch:
                flush(batch)
        finally:
            for handle in [*spills, by_row]:
                handle.close()

        # Smooth idf, as scikit-learn's TfidfTransformer: ln((1 + n) / (1 + df)) + 1.
        idf = (np.log((1 + n_rows) / (1 + df)) + 1).astype(np.float32)
        np.save(directory / "idf.npy", idf)
        # Row-major copy (a candidate's whole row, for the exact re-ranking) and row norms.
        row_ptr = np.zeros(n_rows + 1, dtype=np.int64)
        if row_sizes:
            np.cumsum(np.concatenate(row_sizes), out=row_ptr[1:])
        np.save(directory / "row_ptr.npy", row_ptr)
        nnz = int(row_ptr[-1])
        norms = np.ones(n_rows, dtype=np.float64)

        def row_chunks(field):
            with (spill_dir / "rows.bin").open("rb") as handle:
                for start in range(0, n_rows, CHUNK):
                    end = min(start + CHUNK, n_rows)
                    count = int(row_ptr[end] - row_ptr[start])
                    chunk = np.fromfile(handle, dtype=PAIR, count=count)
                    if field == "col":
                        yield chunk["col"]
                        continue
                    weights = chunk["tf"] * idf[chunk["col"]]
                    local = np.repeat(np.arange(end - start), np.diff(row_ptr[start : end + 1]))
                    squares = np.bincount(local, weights=weights * weights, minlength=end - start)
                    norm = np.sqrt(squares)
                    norm[norm == 0] = 1.0
                    norms[start:end] = norm
                    yield weights / norm[local]

        _write_npy(directory / "row_indices.npy", np.int32, row_chunks("col"), nnz)
        _write_npy(directory / "row_data.npy", np.float32, row_chunks("data"), nnz)

        indptr = np.zeros(N_FEATURES + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        np.save(directory / "indptr.npy", indptr)
        del indptr

        def sorted_blocks(field):
            for b in range(n_blocks):
                block = np.fromfile(spill_dir / f"{b}.bin", dtype=SPILL)
                # Rows were spilled in increasing order: a stable sort by column keeps them so.
                block = block[np.argsort(block["col"], kind="stable")]
                if field == "row":
                    yield block["row"]
                else:
                    yield (block["tf"] * idf[block["col"]] / norms[block["row"]]).astype(np.float32)

        _write_npy(directory / "indices.npy", np.int32, sorted_blocks("row"), nnz)
        _write_npy(directory / "data.npy", np.float32, sorted_blocks("data"), nnz)
        kind_array = np.concatenate(kinds) if kinds else np.zeros(0, np.int8)
        id_array = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        np.save(directory / "kinds.npy", kind_array)
        np.save(directory / "ids.npy", id_array)
        keys = _key64(kind_array, id_array)
        order = np.argsort(keys, kind="stable")
        np.save(directory / "keys.npy", keys[order])
        np.save(directory / "key_rows.npy", order.astype(np.int64))
        meta = {"format": FORMAT, "rows": n_rows, "nnz": nnz, "features": N_FEATURES}
        (directory / "meta.json").write_text(json.dumps(meta))

    # -- the rows ------------------------------------------------------------------
    def __len__(self) -> int:
        return self.n_rows - int(self.dead.sum()) + len(self.extra_keys)

    def _row_of(self, key: Key) -> int | None:
        wanted = int(_key64([key[0]], [key[1]])[0])
        pos = int(np.searchsorted(self.sorted_keys, wanted))
        if pos < len(self.sorted_keys) and int(self.sorted_keys[pos]) == wanted:
            return int(self.sorted_rows[pos])
        return None

    def upsert(self, records: Iterable[tuple[int, int, str]]) -> int:
        """Add or replace records; weights use the idf of the last build until the next one."""
        records = list(records)
        if not records:
            return 0
        vectors = self.vectors([text for _k, _i, text in records])
        for (kind, pk, _text), row in zip(records, vectors, strict=True):
            key = (int(kind), int(pk))
            self.remove(key, restack=False)
            self.extra_keys.append(key)
            self.extra_rows.append(row)
        self._stack_extra()
        return len(records)

    def remove(self, key: Key, *, restack: bool = True) -> None:
        row = self._row_of(key)
        if row is not None:
            self.dead[row] = True
        if key in self.extra_keys:
            index = self.extra_keys.index(key)
            del self.extra_keys[index]
            del self.extra_rows[index]
            if restack:
                self._stack_extra()

    def _stack_extra(self) -> None:
        self.extra_matrix = sparse.vstack(self.extra_rows).tocsc() if self.extra_rows else None

    # -- vectors -------------------------------------------------------------------
    def _weigh(self, counts):
        counts = _sublinear(counts.tocsr())
        counts.data *= np.asarray(self.idf[counts.indices], dtype=np.float32)
        return counts

    def vectors(self, texts: Sequence[str]):
        """L2-normalised TF-IDF rows (CSR) of `texts`, with this matrix's idf."""
        rows = self._weigh(_hasher().transform(list(texts)))
        norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1 / norms) @ rows, dtype=np.float32)

    def vector(self, text: str, expansions: Sequence = ()):
        """The query's row. Each expansion (term → alternative, weight < 1) rewrites the text
        with the alternative in place of the term; n-grams only the rewritten text has (the
        alternative and its neighbours: "giống ngô", "ngô nếp") join at `weight` times
        their own weight, never above a typed one."""
        text = unicodedata.normalize("NFC", text or "")
        rows = [text]
        weights = [1.0]
        folded = fold_lower(text)
        for item in expansions:
            pattern = _fold_pattern(item.term)
            if pattern.search(folded):
                rows.append(pattern.sub(fold_lower(item.alternative), folded))
                weights.append(float(item.weight))
        weighed = self._weigh(_hasher().transform(rows))
        vector = weighed[0]
        if len(rows) > 1:
            scaled = sparse.diags(np.asarray(weights, dtype=np.float32)) @ weighed
            vector = sparse.csr_matrix(scaled.max(axis=0))  # typed ones keep weight 1
        vector = sparse.csr_matrix(vector, dtype=np.float32)
        norm = float(np.sqrt(vector.multiply(vector).sum()))
        if norm:
            vector.data /= norm
        return vector

    # -- queries -------------------------------------------------------------------
    def _postings(self, columns, weights):
        starts = np.asarray(self.indptr[columns])
        ends = np.asarray(self.indptr[columns + 1])
        rows = [self.indices[s:e] for s, e in zip(starts, ends, strict=True)]
        values = [self.data[s:e] * w for s, e, w in zip(starts, ends, weights, strict=True)]
        if not rows:
            return np.zeros(self.n_rows, dtype=np.float64)
        return np.bincount(
            np.concatenate(rows), weights=np.concatenate(values), minlength=self.n_rows
        )

    def scores(self, vector) -> np.ndarray:
        """Exact cosine of `vector` with every built row (reads every posting: tests)."""
        return self._postings(vector.indices, vector.data)

    def candidates(self, vector, wanted=None, count: int = RERANK) -> np.ndarray:
        """Rows likely to be closest: scored on the query's rarer n-grams only, read rarest
        first until POSTINGS_BUDGET entries (a common bigram such as "nghien_cuu" has a
        posting per record, and says least about a match), then the best `count`."""
        columns, weights = vector.indices, vector.data
        lengths = np.asarray(self.indptr[columns + 1]) - np.asarray(self.indptr[columns])
        order = np.argsort(lengths, kind="stable")
        chosen = order[np.cumsum(lengths[order]) <= POSTINGS_BUDGET]
        if len(chosen) < MIN_COLUMNS:
            chosen = order[:MIN_COLUMNS]  # the rarest few always count
        partial = self._postings(columns[chosen], weights[chosen])
        partial[self.dead] = 0.0
        if wanted is not None:
            partial[~np.isin(self.kinds, wanted)] = 0.0
        if len(partial) > count:
            top = np.argpartition(-partial, count)[:count]
        else:
            top = np.arange(len(partial))
        return np.sort(top[partial[top] > 0])

    def exact(self, vector, rows: np.ndarray) -> np.ndarray:
        """Cosine of `vector` with each of `rows`, from their whole stored rows."""
        if not len(rows):
            return np.zeros(0, dtype=np.float64)
        order = np.argsort(vector.indices)
        columns, weights = vector.indices[order], vector.data[order]
        starts, ends = np.asarray(self.row_ptr[rows]), np.asarray(self.row_ptr[rows + 1])
        cols = np.concatenate([self.row_indices[s:e] for s, e in zip(starts, ends, strict=True)])
        vals = np.concatenate([self.row_data[s:e] for s, e in zip(starts, ends, strict=True)])
        owner = np.repeat(np.arange(len(rows)), ends - starts)
        pos = np.minimum(np.searchsorted(columns, cols), len(columns) - 1)
        hit = columns[pos] == cols
        return np.bincount(owner[hit], weights=vals[hit] * weights[pos[hit]], minlength=len(rows))

    def search(
        self,
        text: str,
        limit: int = 10,
        kinds: Iterable[int] | None = None,
        expansions: Sequence = (),
    ) -> list[tuple[int, int, float]]:
        """The `limit` best (kind code, id, cosine), best first; only `kinds` when given.
        Built rows: `candidates()` then their `exact()` cosine; rows added since the build:
        all of them, exactly."""
        query = self.vector(text, expansions)
        if query.nnz == 0:
            return []
        wanted = None if kinds is None else np.asarray(sorted(set(kinds)), dtype=np.int8)
        candidates: list[tuple[float, int, int]] = []
        if self.n_rows:
            rows = self.candidates(query, wanted, max(RERANK, limit))
            scores = self.exact(query, rows)
            candidates += self._top(scores, self.kinds[rows], self.ids[rows], limit)
        if self.extra_matrix is not None and self.extra_keys:
            scores = self.extra_matrix[:, query.indices] @ query.data
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
