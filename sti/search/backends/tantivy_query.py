"""How the tantivy backend turns a parsed query into a ranked tantivy query.

- **Coverage.** Typed words are optional clauses of one boolean query whose minimum number
  of matches grows with the query (`querytext.minimum_should_match`: all words up to two,
  then a quarter of them but at least two). Function words (và, của, trên…) add to the
  score but do not count.
- **Exactness times field.** Each word scores as the best of four matches — title or body,
  with the typed marks or folded — each weighted `FIELD_WEIGHTS[field] × exactness`. The
  weights multiply, so an exact match in the body (1 × 3) outranks a wrong-diacritic match
  in the title (1.5 × 1). A query typed without any marks gives a literal match only a small
  edge (`UNMARKED_EXACT_WEIGHT`): "ca tra" means "cá tra" as much as "cà … tra".
- **Proximity.** Each pair of consecutive typed words earns a bonus where the document has
  them side by side (a phrase query on the folded fields, which keep positions), so a
  multi-syllable word beats its syllables apart; the whole run of words, side by side,
  earns one more. The pairs of a long question share one bonus, so common phrases
  ("đánh giá", "hiệu quả") do not outweigh its rarer words. The backend scores these
  bonuses on the best `RESCORE_CANDIDATES` matches by the words alone (`text_parts` keeps
  them apart, `proximity(within=…)` checks the phrases in those documents only): checked
  over every match they were most of a search page's time at 300,000 documents.
  No word-segmentation field: multi-syllable queries already reach 0.999 nDCG@10 on
  bench/relevance.py this way, at no cost to indexing.
- **Quoted phrases** stay required and exact in order (folded), marks add to the score.
- **Expansions** (thesaurus) join the slot of the words they stand for, at their weight,
  as optional clauses: never required, never counted in the coverage.

Upper case needs nothing here: the index's analyzers lower-case query and text alike.
"""

from __future__ import annotations

import math

import tantivy
from tantivy import Occur, Query

from sti.search.querytext import (
    ParsedQuery,
    Slot,
    adjacent_pairs,
    minimum_should_match,
    plan_slots,
)

EXACT, FOLDED = "vi_exact", "vi_fold"
FIELD_WEIGHTS = {"title": 1.5, "body": 1.0}
FOLDED_FIELD = {"title": "title_f", "body": "body_f"}
EXACT_WEIGHT = 3.0  # a word typed with its marks, found with them
UNMARKED_EXACT_WEIGHT = 1.2  # the query has no marks at all: a literal match counts a little
# A document matching in both fields scores the better one plus this share of the other.
TIE_BREAKER = 0.5
PROXIMITY_WEIGHT = 1.0  # shared by the pairs of consecutive words found side by side
PROXIMITY_PAIRS = 1
WHOLE_RUN_WEIGHT = 0.5  # all the typed words side by side, in order (queries of 3+ words)
MAX_RUN = 6
# An alternative is scored at the rarity of the typed words it stands for (times its weight):
# lowered when it is rarer, raised when it is more common, but at most this many times, so
# that a very common alternative ("thơm" is also "fragrant") does not bring its noise up.
# Measured on bench/relevance.py: "cây ăn quả có múi" → "bưởi", "cam" found (0.750 → 1.000).
ALTERNATIVE_RAISE_MAX = 2.0


class TantivyQueryBuilder:
    def __init__(self, schema: tantivy.Schema, analyzers: dict):
        self.schema = schema
        self.analyzers = analyzers

    # ------------------------------------------------------------------
    def tokens(self, word: str) -> tuple[list[str], list[str]]:
        """(exact tokens, folded tokens) of one query word, cut by the index's analyzers."""
        return self.analyzers[EXACT].analyze(word), self.analyzers[FOLDED].analyze(word)

    def _field_query(self, field: str, tokens: list[str]) -> Query:
        if len(tokens) == 1:
            # Scores need term frequencies, never positions: tantivy's default ("position")
            # would open every matching document's positions.
            return Query.term_query(self.schema, field, tokens[0], index_option="freq")
        return Query.phrase_query(self.schema, field, tokens)

    def _folded_match(self, folded: list[str]) -> Query:
        return Query.boolean_query(
            [(Occur.Should, self._field_query(field, folded)) for field in ("title_f", "body_f")]
        )

    def words_clause(
        self, words: list[str], scoring: bool = True, exact_weight: float = EXACT_WEIGHT
    ) -> Query | None:
        """One word, or a run of several in order: it must match a folded field; the score
        is the best of title/body × exact/folded, weights multiplied."""
        exact, folded = [], []
        for word in words:
            exact_tokens, folded_tokens = self.tokens(word)
            exact += exact_tokens
            folded += folded_tokens
        if not folded:
            return None
        if not scoring:
            return self._folded_match(folded)
        variants = []
        for field, weight in FIELD_WEIGHTS.items():
            variants.append(
                Query.boost_query(self._field_query(FOLDED_FIELD[field], folded), weight)
            )
            if not exact:
                continue
            if field == "body" and len(exact) > 1:
                # The exact body keeps no positions: its phrase is checked on the folded body
                # (required below); here every syllable with its marks earns the exact weight.
                matched = Query.boolean_query(
                    [
                        (Occur.Must, Query.term_query(self.schema, "body", token, "freq"))
                        for token in exact
                    ]
                )
            else:
                matched = self._field_query(field, exact)
            variants.append(Query.boost_query(matched, weight * exact_weight))
        best = Query.disjunction_max_query(variants, tie_breaker=TIE_BREAKER)
        if len(folded) == 1:
            return best  # the exact matches are a subset of the folded ones
        return Query.boolean_query(
            [
                (Occur.Must, Query.const_score_query(self._folded_match(folded), 0.0)),
                (Occur.Should, best),
            ]
        )

    def _rarity(self, searcher, words: list[str]) -> float:
        """The BM25 weight (inverse document frequency, summed over syllables) of these words
        in the folded fields: what makes a match on them score high."""
        total = max(searcher.num_docs, 1)
        rarity = 0.0
        for token in [token for word in words for token in self.tokens(word)[1]]:
            found = min(
                total,
                max(searcher.doc_freq("title_f", token), searcher.doc_freq("body_f", token)),
            )
            rarity += math.log(1 + (total - found + 0.5) / (found + 0.5))
        return rarity

    def _slot_clause(
        self, slot: Slot, scoring: bool, exact_weight: float, searcher=None
    ) -> Query | None:
        typed = self.words_clause([slot.word], scoring, exact_weight)
        if not slot.alternatives:
            return typed
        clauses = [(Occur.Should, typed)] if typed is not None else []
        stands_for = slot.stands_for or [[slot.word]] * len(slot.alternatives)
        for (words, weight), typed_words in zip(slot.alternatives, stands_for, strict=True):
            alternative = self.words_clause(words, scoring, exact_weight)
            if alternative is None:
                continue
            if scoring:
                # Scored like the typed words, times its weight below 1. BM25 rewards rarity:
                # a rarer alternative would score above the typed words where it occurs, a
                # common one (or one syllable for a five-syllable group: "bưởi" for "cây ăn
                # quả có múi") far below. Its score is brought to the rarity of all the typed
                # words it stands for, raised at most ALTERNATIVE_RAISE_MAX times.
                typed_rarity = self._rarity(searcher, typed_words) if searcher else 0.0
                rarity = self._rarity(searcher, words) if searcher else 0.0
                if typed_rarity and rarity:
                    weight *= min(typed_rarity / rarity, ALTERNATIVE_RAISE_MAX)
                alternative = Query.boost_query(alternative, weight)
            clauses.append((Occur.Should, alternative))
        return Query.boolean_query(clauses) if clauses else None

    def proximity(self, parsed: ParsedQuery, within: Query) -> list[tuple[Occur, Query]]:
        """The proximity bonuses of `text_parts`, each phrase checked only on the documents
        `within` matches (a few candidates): tantivy drives an intersection by its smallest
        side and reads the phrase's positions in those documents only, where an optional
        phrase clause would read them in every document holding both words."""
        return self._proximity(parsed, self._exact_weight(parsed), within)

    def _exact_weight(self, parsed: ParsedQuery) -> float:
        marked = any(self.tokens(word)[0] != self.tokens(word)[1] for word in _all_words(parsed))
        return EXACT_WEIGHT if marked else UNMARKED_EXACT_WEIGHT

    def _proximity(
        self, parsed: ParsedQuery, exact_weight: float, within: Query | None = None
    ) -> list[tuple[Occur, Query]]:
        """Bonuses for typed words found side by side, on the folded fields (they keep
        positions), scaled like the words' own scores (× `exact_weight`)."""
        runs = [list(pair) for pair in adjacent_pairs(parsed)]
        # A long question has many pairs, most of them common phrases ("đánh giá", "hiệu
        # quả"): past PROXIMITY_PAIRS pairs they share the bonus instead of swamping the words.
        share = min(1.0, PROXIMITY_PAIRS / len(runs)) if runs else 1.0
        weights = [PROXIMITY_WEIGHT * share * exact_weight] * len(runs)
        if 3 <= len(parsed.terms) <= MAX_RUN:
            runs.append(list(parsed.terms))
            weights.append(WHOLE_RUN_WEIGHT * exact_weight)
        clauses = []
        for words, weight in zip(runs, weights, strict=True):
            folded = [token for word in words for token in self.tokens(word)[1]]
            if len(folded) < 2:
                continue
            bonus = Query.disjunction_max_query(
                [
                    Query.boost_query(
                        _within(
                            Query.phrase_query(self.schema, FOLDED_FIELD[field], folded), within
                        ),
                        field_weight,
                    )
                    for field, field_weight in FIELD_WEIGHTS.items()
                ],
                tie_breaker=TIE_BREAKER,
            )
            clauses.append((Occur.Should, Query.boost_query(bonus, weight)))
        return clauses

    # ------------------------------------------------------------------
    def text_clauses(
        self, parsed: ParsedQuery, scoring: bool = True, expansions=(), searcher=None
    ) -> list[tuple[Occur, Query]]:
        """The text part of a query. Without `scoring` it keeps only what decides a match
        (the folded fields): the same documents, fewer posting lists, for facet counts."""
        clauses, proximity = self.text_parts(parsed, scoring, expansions, searcher)
        return clauses + proximity

    def text_parts(
        self, parsed: ParsedQuery, scoring: bool = True, expansions=(), searcher=None
    ) -> tuple[list[tuple[Occur, Query]], list[tuple[Occur, Query]]]:
        """(what decides the match and the words' scores, the proximity bonuses): optional
        clauses that only add to the score of documents the first part matched, which a
        backend may score on the best candidates only (`TantivyBackend._rescored`)."""
        exact_weight = self._exact_weight(parsed)
        clauses: list[tuple[Occur, Query]] = []
        content, optional = [], []
        for slot in plan_slots(parsed, expansions):
            clause = self._slot_clause(slot, scoring, exact_weight, searcher)
            # A word the index cannot hold (over 60 bytes) matches nothing.
            clause = clause if clause is not None else Query.empty_query()
            (content if slot.content else optional).append(clause)
        if len(content) == 1:
            clauses.append((Occur.Must, content[0]))
        elif content:
            clauses.append(
                (
                    Occur.Must,
                    Query.boolean_query(
                        [(Occur.Should, clause) for clause in content],
                        minimum_number_should_match=minimum_should_match(len(content)),
                    ),
                )
            )
        proximity: list[tuple[Occur, Query]] = []
        if scoring:
            clauses += [(Occur.Should, clause) for clause in optional]
            proximity = self._proximity(parsed, exact_weight)
        for words in parsed.phrases:
            clause = self.words_clause(words, scoring, exact_weight)
            clauses.append((Occur.Must, clause if clause is not None else Query.empty_query()))
        for word in parsed.excluded:
            for token in self.tokens(word)[1]:
                clauses.append(
                    (Occur.MustNot, Query.term_query(self.schema, "title_f", token, "basic"))
                )
                clauses.append(
                    (Occur.MustNot, Query.term_query(self.schema, "body_f", token, "basic"))
                )
        return clauses, proximity


def _within(query: Query, within: Query | None) -> Query:
    """`query` restricted to what `within` matches, scored as `query` alone (`within` must
    score 0)."""
    if within is None:
        return query
    return Query.boolean_query([(Occur.Must, within), (Occur.Must, query)])


def _all_words(parsed: ParsedQuery) -> list[str]:
    return list(parsed.terms) + [word for phrase in parsed.phrases for word in phrase]
