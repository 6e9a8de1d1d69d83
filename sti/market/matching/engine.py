"""The explained matcher: a demand in farmers' words against offers in technical words.

One pass per query, on the shared similarity matrix (`sti.core.similarity.engine`, TF-IDF
over folded syllable 1+2-grams, memory-mapped, read through its rarest postings first):

1. **Thesaurus expansion** (`sti.core.expansion`): common ↔ scientific names, regional
   words, symptoms → the disease or cause. Two hops ("tôm nổi đầu" → "thiếu oxy hòa tan" →
   "DO"), the second at the product of both weights. Each alternative joins the query below
   the typed words (the matrix's `vector(text, expansions)`).
2. **Corpus feedback** (pseudo-relevance feedback over the library documents and the
   completed tasks): the best few of them in a first pass lend the query their distinctive
   n-grams (weighted by idf and by how many of them share it), at `FEEDBACK_WEIGHT`. A farmer's
   "trái xoài bị đốm đen" finds the extension leaflet on anthracnose, and the leaflet's
   words ("Colletotrichum", "nước nóng") then reach the offer that never says "đốm đen".
3. **S&T field inference**: the query's field is the requester's, or the nearest field
   centroid of the corpus (`FieldModel`), with its confidence.
4. **Score** = cosine of the expanded query with the candidate + field fit + TRL fit +
   budget fit (small, bounded terms: text decides, fit breaks ties).
5. **Threshold**: below `THRESHOLD` there is no match (calibrated on the labelled set,
   `bench/matching.py`). The threshold is compared with the first pass's cosine (thesaurus
   expansion, no feedback): feedback always finds *something*, so it may reorder candidates
   but never turns "nothing close" into a match.

Every match carries its explanation (`records.Match`): shared terms, expanded terms with
their source, field, TRL and budget fit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.utils import murmurhash3_32

from sti.core.expansion import Expansion, expansions
from sti.core.similarity.engine import N_FEATURES, SimilarityIndex, analyze
from sti.core.text import VIETNAMESE_STOPWORDS, fold_lower, tokenize
from sti.market.matching.records import (
    KIND_CODES,
    ExpandedTerm,
    FieldFit,
    Fit,
    Match,
    Query,
    Record,
)

__all__ = ["FieldModel", "Matcher", "THRESHOLD"]

# Calibrated on the labelled set (bench/matching.py prints the figures at this value).
THRESHOLD = 0.128
# Corpus feedback: how many first-pass records lend their n-grams, how many n-grams, and
# their weight against the typed words.
FEEDBACK_DOCS = 4
FEEDBACK_TERMS = 24
FEEDBACK_WEIGHT = 0.25
# Fit terms added to the cosine.
FIELD_WEIGHT = 0.06
TRL_WEIGHT = 0.02
BUDGET_WEIGHT = 0.02
# Candidates scored exactly after the matrix's postings pass.
CANDIDATES = 300
# Second hop of the thesaurus: alternatives of alternatives, at most this many.
SECOND_HOP = 12

Lookup = Callable[[Sequence[tuple[int, int]]], dict[tuple[int, int], Record]]
Expander = Callable[[str], list[Expansion]]


@lru_cache(maxsize=200_000)
def _column(gram: str) -> int:
    """The matrix's column of an n-gram: the hash its HashingVectorizer gives it."""
    return abs(murmurhash3_32(gram, seed=0)) % N_FEATURES


@lru_cache(maxsize=4096)
def _fold_pattern(term: str):
    """A regex finding `term` in a folded text (as the matrix's `vector()` does)."""
    return re.compile(
        r"(?<![^\W_])" + r"\s+".join(map(re.escape, fold_lower(term).split())) + r"(?![^\W_])"
    )


def _weighed(index: SimilarityIndex, text: str) -> dict[int, float]:
    counts = Counter(_column(gram) for gram in analyze(text))
    idf = index.idf
    return {col: (1.0 + math.log(tf)) * float(idf[col]) for col, tf in counts.items()}


def query_vector(index: SimilarityIndex, text: str, found: Sequence[Expansion] = ()):
    """The query's row, as `SimilarityIndex.vector(text, expansions)` makes it (each
    expansion rewrites the text with its alternative; n-grams only the rewritten text has
    join at the expansion's weight; typed ones keep theirs), without building a matrix of
    2**22 columns per call: a dictionary of columns, the larger value kept."""
    text = unicodedata.normalize("NFC", text or "")
    best = _weighed(index, text)
    folded = fold_lower(text)
    for item in found:
        pattern = _fold_pattern(item.term)
        if not pattern.search(folded):
            continue
        alternative = fold_lower(item.alternative)
        rewritten = pattern.sub(lambda _found, alternative=alternative: alternative, folded)
        for col, value in _weighed(index, rewritten).items():
            value *= float(item.weight)
            if value > best.get(col, 0.0):
                best[col] = value
    return _sparse_row(best)


def _sparse_row(values: dict[int, float]):
    columns = np.fromiter(sorted(values), dtype=np.int32, count=len(values))
    data = np.asarray([values[c] for c in columns.tolist()], dtype=np.float32)
    vector = sparse.csr_matrix(
        (data, columns, np.asarray([0, len(columns)])), shape=(1, N_FEATURES)
    )
    return _normalized(vector)


def _normalized(vector):
    vector = sparse.csr_matrix(vector, dtype=np.float32)
    norm = float(np.sqrt(vector.multiply(vector).sum()))
    if norm:
        vector.data /= norm
    return vector


# ---------------------------------------------------------------------------------------
# Field inference
# ---------------------------------------------------------------------------------------
@dataclass
class FieldModel:
    """Nearest centroid over the matrix's TF-IDF rows of records whose field is known."""

    fields: list[str]
    centroids: sparse.csc_matrix | None  # one L2-normalised row per field (CSC: by column)

    @classmethod
    def from_records(
        cls, index: SimilarityIndex, records: Iterable[Record], per_field: int = 2000
    ) -> FieldModel:
        texts: dict[str, list[str]] = defaultdict(list)
        for record in records:
            if record.field and len(texts[record.field]) < per_field:
                texts[record.field].append(record.body)
        fields = sorted(texts)
        if not fields:
            return cls([], None)
        rows = []
        for code in fields:
            vectors = index.vectors(texts[code])
            rows.append(_normalized(sparse.csr_matrix(vectors.mean(axis=0))))
        return cls(fields, sparse.vstack(rows).tocsc())

    def infer(self, vector) -> tuple[str, float]:
        """(field, confidence): the nearest centroid, confidence = its share of a softmax."""
        if self.centroids is None or vector.nnz == 0:
            return "", 0.0
        sims = np.asarray(self.centroids[:, vector.indices] @ vector.data).ravel()
        if not sims.any():
            return "", 0.0
        weights = np.exp((sims - sims.max()) * 20)
        best = int(np.argmax(sims))
        return self.fields[best], float(weights[best] / weights.sum())


def field_fit(query_field: str, record_field: str) -> float:
    if not query_field or not record_field:
        return 0.0
    if query_field == record_field:
        return 1.0
    return 0.5 if query_field[0] == record_field[0] else 0.0


def trl_fit(wanted: int | None, offered: int | None) -> Fit:
    if not wanted or not offered:
        return Fit(None, wanted, offered)
    if offered >= wanted:
        return Fit(1.0, wanted, offered)
    return Fit(0.5 if offered == wanted - 1 else 0.0, wanted, offered)


def budget_fit(budget_max: int | None, price: int | None) -> Fit:
    if not budget_max or not price:
        return Fit(None, budget_max, price)
    if price <= budget_max:
        return Fit(1.0, budget_max, price)
    return Fit(0.5 if price <= budget_max * 1.5 else 0.0, budget_max, price)


def _fit_term(fit: Fit) -> float:
    return 0.0 if fit.fit is None else fit.fit - 0.5


# ---------------------------------------------------------------------------------------
# Matcher
# ---------------------------------------------------------------------------------------
class Matcher:
    """Matches queries against one similarity matrix of offers, tasks, documents, experts
    and demands. `lookup` turns matrix keys into `Record`s: the database version returns
    only what the asking user may see, so a record it leaves out is never shown."""

    def __init__(
        self,
        index: SimilarityIndex,
        lookup: Lookup,
        *,
        fields: FieldModel | None = None,
        expand: Expander = expansions,
        threshold: float = THRESHOLD,
        feedback_kinds: Sequence[str] = ("document", "task"),
        codes: dict[str, int] | None = None,
    ):
        self.codes = dict(codes or KIND_CODES)
        self.names = {code: name for name, code in self.codes.items()}
        self.index = index
        self.lookup = lookup
        self.fields = fields or FieldModel([], None)
        self.expand = expand
        self.threshold = threshold
        self.feedback_codes = np.asarray(
            sorted(self.codes[k] for k in feedback_kinds if k in self.codes), dtype=np.int8
        )

    @classmethod
    def from_records(cls, records: Iterable[Record], **options) -> Matcher:
        """A matcher over records held in memory (tests, the labelled set)."""
        records = list(records)
        by_key = {record.key: record for record in records}
        index = SimilarityIndex.build((r.key[0], r.id, r.body) for r in records)
        fields = FieldModel.from_records(index, records)

        def lookup(keys):
            return {key: by_key[key] for key in keys if key in by_key}

        return cls(index, lookup, fields=fields, **options)

    # -- expansion -----------------------------------------------------------------
    def expansions(self, text: str) -> list[Expansion]:
        """The thesaurus's alternatives for `text`, and theirs (second hop, weight product)."""
        first = self.expand(text)
        best = {item.alternative.casefold(): item for item in first}
        for item in first[:SECOND_HOP]:
            for second in self.expand(item.alternative):
                key = second.alternative.casefold()
                weight = round(item.weight * second.weight, 3)
                if key in best or fold_lower(second.alternative) == fold_lower(item.term):
                    continue
                if 0 < weight < 1:
                    best[key] = Expansion(
                        item.term, second.alternative, weight, second.source, second.relation
                    )
        return sorted(best.values(), key=lambda item: -item.weight)

    def _feedback(self, vector, text_grams: set[str]):
        """Pseudo-relevance feedback: (vector of the feedback n-grams, gram → titles)."""
        rows = self.index.candidates(vector, self.feedback_codes, CANDIDATES)
        if not len(rows):
            return None, {}
        scores = self.index.exact(vector, rows)
        top = np.argsort(-scores)[:FEEDBACK_DOCS]
        keys = [
            (int(self.index.kinds[rows[i]]), int(self.index.ids[rows[i]]))
            for i in top
            if scores[i] > 0
        ]
        found = self.lookup(keys)
        weights: Counter[str] = Counter()
        sources: dict[str, list[str]] = defaultdict(list)
        for key, score in zip(keys, scores[top], strict=False):
            record = found.get(key)
            if record is None:
                continue
            for gram in set(analyze(record.body)):
                if gram in text_grams or _weak(gram):
                    continue
                weights[gram] += float(score)
                sources[gram].append(record.title)
        if not weights:
            return None, {}
        idf = self.index.idf
        scored = []
        for gram, weight in weights.items():
            column = _column(gram)
            scored.append((weight * float(idf[column]) * len(sources[gram]), gram, column))
        scored.sort(reverse=True)
        chosen = scored[:FEEDBACK_TERMS]
        values: dict[int, float] = {}
        for weight, _gram, column in chosen:
            values[column] = values.get(column, 0.0) + weight
        return _sparse_row(values), {g: sources[g] for _w, g, _c in chosen}

    # -- matching ------------------------------------------------------------------
    def match(
        self,
        query: Query,
        *,
        kinds: Sequence[str] = ("offer",),
        limit: int = 10,
        exclude: Iterable[tuple[int, int]] = (),
        threshold: float | None = None,
    ) -> list[Match]:
        """The best `limit` records of `kinds` above the threshold, best first, explained.
        Empty when nothing is close enough (no match)."""
        threshold = self.threshold if threshold is None else threshold
        return [
            m
            for m in self.rank(query, kinds=kinds, limit=limit, exclude=exclude)
            if m.score >= threshold
        ][:limit]

    def rank(
        self,
        query: Query,
        *,
        kinds: Sequence[str] = ("offer",),
        limit: int = 10,
        exclude: Iterable[tuple[int, int]] = (),
    ) -> list[Match]:
        """The best `limit` records whatever their score (the bench; `match` thresholds)."""
        text = query.body
        found_expansions = self.expansions(text)
        first = query_vector(self.index, text, found_expansions)
        if first.nnz == 0:
            return []
        text_grams = set(analyze(text))
        for item in found_expansions:
            text_grams.update(analyze(item.alternative))
        feedback, feedback_sources = self._feedback(first, text_grams)
        vector = first
        if feedback is not None:
            vector = _normalized(first + FEEDBACK_WEIGHT * feedback)

        query_field, confidence, inferred = query.field, 1.0, False
        if not query_field:
            query_field, confidence = self.fields.infer(first)
            inferred = True

        wanted = np.asarray(sorted(self.codes[k] for k in kinds), dtype=np.int8)
        rows = self.index.candidates(first, wanted, CANDIDATES)
        if feedback is not None:
            rows = np.union1d(rows, self.index.candidates(vector, wanted, CANDIDATES))
        if not len(rows):
            return []
        excluded = set(exclude)
        weighed_terms = self._query_terms(text, found_expansions)
        base_scores = self.index.exact(first, rows)
        text_scores = base_scores if feedback is None else self.index.exact(vector, rows)
        order = np.argsort(-text_scores)[: max(limit * 5, 50)]
        keys = [(int(self.index.kinds[rows[i]]), int(self.index.ids[rows[i]])) for i in order]
        records = self.lookup([k for k in keys if k not in excluded])
        ranked: list[tuple[float, Match]] = []
        for i, key in zip(order, keys, strict=True):
            record = records.get(key)
            if record is None or key in excluded:
                continue
            fit_field = field_fit(query_field, record.field)
            fit_trl = (
                trl_fit(query.trl, record.trl) if record.kind == "offer" else Fit(None, None, None)
            )
            fit_budget = self._budget(query, record)
            bonus = (
                FIELD_WEIGHT * fit_field * (confidence if inferred else 1.0)
                + TRL_WEIGHT * _fit_term(fit_trl)
                + BUDGET_WEIGHT * _fit_term(fit_budget)
            )
            # The threshold reads the first pass (no feedback); ranking reads both.
            gate = float(base_scores[i]) + bonus
            rank_score = float(text_scores[i]) + bonus
            match = Match(
                kind=record.kind,
                object_id=record.id,
                title=record.title,
                url=record.url,
                score=round(gate, 4),
                text_score=round(float(text_scores[i]), 4),
                field_fit=FieldFit(
                    query_field, inferred, round(confidence, 3), record.field, fit_field
                ),
                trl_fit=fit_trl,
                budget_fit=fit_budget,
            )
            ranked.append((rank_score, match))
        ranked.sort(key=lambda pair: -pair[0])
        matches = [match for _score, match in ranked[:limit]]
        for match in matches:
            record = records[(self.codes[match.kind], match.object_id)]
            match.coverage = round(_coverage(weighed_terms, record.body), 4)
        for match in matches:
            self._explain(
                match,
                records[(self.codes[match.kind], match.object_id)],
                text,
                found_expansions,
                feedback_sources,
            )
        return matches

    def _query_terms(self, text, found_expansions):
        """[(idf, {folded words that cover it: weight})] for each informative typed word."""
        idf = self.index.idf
        out = []
        seen = set()
        for word in tokenize_words_folded(text):
            if word in seen or _weak(word) or word in WEAK_WORDS:
                continue
            seen.add(word)
            covers = {(word,): 1.0}
            for item in found_expansions:
                if word in tokenize_words_folded(item.term):
                    covers[tuple(tokenize_words_folded(item.alternative))] = item.weight
            out.append((float(idf[_column(word)]), covers))
        return out

    @staticmethod
    def _budget(query: Query, record: Record) -> Fit:
        if record.kind == "offer":
            return budget_fit(query.budget_max, record.price)
        if record.kind == "demand":  # an offer looking for demands: its price, their budget
            return budget_fit(record.price, query.price)
        return Fit(None, None, None)

    # -- explanation -------------------------------------------------------------------
    @staticmethod
    def _explain(match, record, text, found_expansions, feedback_sources) -> None:
        body_folded = " " + " ".join(tokenize_words_folded(record.body)) + " "
        match.shared = shared_terms(text, record.body)
        seen = {fold_lower(term) for term in match.shared}
        expanded = []
        for item in found_expansions:
            folded = fold_lower(item.alternative)
            if folded in seen or f" {' '.join(tokenize_words_folded(folded))} " not in body_folded:
                continue
            seen.add(folded)
            expanded.append(
                ExpandedTerm(
                    item.term,
                    item.alternative,
                    item.source or "thesaurus",
                    item.relation,
                    item.weight,
                )
            )
        record_grams = set(analyze(record.body))
        for gram, titles in feedback_sources.items():
            if gram not in record_grams or "_" not in gram and len(gram) < 4:
                continue
            words = gram.replace("_", " ")
            if words in seen:
                continue
            seen.add(words)
            expanded.append(
                ExpandedTerm(
                    "",
                    _original_words(record.body, gram),
                    "corpus",
                    "; ".join(dict.fromkeys(titles))[:300],
                    FEEDBACK_WEIGHT,
                )
            )
        match.expanded = expanded[:8]


def _coverage(terms, body: str) -> float:
    """The idf-weighted share of the query's informative words the record holds, itself or
    through a thesaurus alternative (at the alternative's weight)."""
    total = sum(weight for weight, _covers in terms)
    if not total:
        return 0.0
    words = tokenize_words_folded(body)
    present = set(words)
    text = " " + " ".join(words) + " "
    got = 0.0
    for weight, covers in terms:
        best = 0.0
        for alternative, share in covers.items():
            if len(alternative) == 1:
                hit = alternative[0] in present
            else:
                hit = f" {' '.join(alternative)} " in text
            if hit:
                best = max(best, share)
        got += weight * best
    return got / total


# Words farmers write around what they mean; they say nothing about a technology.
WEAK_WORDS = frozenset(
    "bi lam qua muon can xin nha con chi cach gi nao ai duoc khong co the mot hai ba "
    "hoai lai roi luc mai hay nghe noi biet ban mua tien gia toi minh chung em anh chi "
    "thay coi kiem uong nhieu it lam ca".split()
)


@lru_cache(maxsize=100_000)
def _fold_token(token: str) -> str:
    return fold_lower(token)


def tokenize_words_folded(text: str) -> list[str]:
    return [_fold_token(token) for token in tokenize(text)]


def _weak(gram: str) -> bool:
    """A gram that says nothing on its own: a stopword pair, a number, one letter."""
    parts = gram.split("_")
    if all(part in VIETNAMESE_STOPWORDS for part in parts):
        return True
    return any(part.isdigit() or len(part) < 2 for part in parts)


def _original_words(text: str, gram: str) -> str:
    """The words of `text` that a folded gram ("nuoc_nong") stands for ("nước nóng")."""
    words = tokenize(text)
    folded = [_fold_token(w) for w in words]
    parts = gram.split("_")
    for start in range(len(folded) - len(parts) + 1):
        if folded[start : start + len(parts)] == parts:
            return " ".join(words[start : start + len(parts)])
    return gram.replace("_", " ")


def shared_terms(query_text: str, record_text: str, limit: int = 8) -> list[str]:
    """Words of the query found in the record (folded), as the record writes them: two-word
    terms first, then single words not part of one, stopwords left out."""
    q_words = tokenize(query_text)
    q_folded = [_fold_token(w) for w in q_words]
    r_words = tokenize(record_text)
    r_folded = [_fold_token(w) for w in r_words]
    r_bigrams = {
        (a, b): f"{x} {y}"
        for a, b, x, y in zip(r_folded, r_folded[1:], r_words, r_words[1:], strict=False)
    }
    r_unigrams = dict(zip(r_folded, r_words, strict=False))
    out: list[str] = []
    used: set[int] = set()
    for i, pair in enumerate(zip(q_folded, q_folded[1:], strict=False)):
        if pair in r_bigrams and not all(p in VIETNAMESE_STOPWORDS for p in pair):
            term = r_bigrams[pair]
            if term not in out:
                out.append(term)
            used.update((i, i + 1))
    for i, word in enumerate(q_folded):
        if i in used or word in VIETNAMESE_STOPWORDS or len(word) < 2 or word.isdigit():
            continue
        if word in r_unigrams and r_unigrams[word] not in out:
            out.append(r_unigrams[word])
    return out[:limit]
