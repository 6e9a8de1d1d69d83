"""How the PostgreSQL backend turns a parsed query into SQL: one `tsquery` that decides the
match (the GIN index answers it) and one score expression, with the semantics of
`tantivy_query`:

- **Coverage.** Typed words are slots; a document must hold `minimum_should_match` of the
  content words (all of them up to two). The match `tsquery` says it directly: the AND of
  all slots, or the OR of every combination of the required number of slots while they are
  few (`MAX_COMBINATIONS`), else the OR of the slots and a count of the matched slots.
- **Exactness times field.** Every record has two `tsvector`s, `exact` (lower-cased, marks
  kept) and `folded` (marks removed, đ→d), built in Python (`sti.core.text`) with the title
  at weight A and the body at weight B. A word scores the better of its folded rank and its
  exact rank times `EXACT_WEIGHT`; `ts_rank`'s weights give the title `TITLE_WEIGHT` times
  the body's, so the weights multiply as in the tantivy backend: an exact match in the body
  outranks a wrong-diacritic match in the title.
- **Proximity.** Consecutive typed words found side by side (a phrase on the folded vector,
  in the title or the body) earn a bonus, shared by the pairs of a long question; the whole
  run of three to six words earns one more.
- **Quoted phrases** are required in order (folded); found with their marks they score
  `EXACT_WEIGHT` times more.
- **Expansions** (thesaurus) join the slot of the words they stand for: they may fill the
  slot, and score at their weight below 1.

`ts_rank` has no inverse document frequency: ranking follows where and how often the words
occur, with exactness and proximity, not how rare they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from math import comb

from sti.core.text import fold_lower
from sti.search.querytext import (
    ParsedQuery,
    adjacent_pairs,
    minimum_should_match,
    plan_slots,
)

# ts_rank's weights for D, C, B (body) and A (title) lexemes; they may not exceed 1, so the
# title is at 1 and the body at 1/TITLE_WEIGHT, and ranks are multiplied by TITLE_WEIGHT.
TITLE_WEIGHT = 1.5
RANK_WEIGHTS = "'{0.05, 0.1, 0.6667, 1.0}'::float4[]"
EXACT_WEIGHT = 3.0  # a word typed with its marks, found with them
UNMARKED_EXACT_WEIGHT = 1.2  # the query has no marks at all: a literal match counts a little
PROXIMITY_WEIGHT = 1.0  # shared by the pairs of consecutive words found side by side
PROXIMITY_PAIRS = 1
WHOLE_RUN_WEIGHT = 0.5  # all the typed words side by side, in order (queries of 3+ words)
MAX_RUN = 6
MAX_COMBINATIONS = 20
# Longer syllables are not indexed (as tantivy's analyzers drop them): a query word this
# long matches nothing.
MAX_TOKEN_BYTES = 60


@lru_cache(maxsize=200_000)
def folded_token(token: str) -> str:
    """A syllable folded (cached: a corpus repeats a few thousand syllables)."""
    return fold_lower(token)


def indexable(token: str) -> bool:
    return 0 < len(folded_token(token).encode()) <= MAX_TOKEN_BYTES


def lexeme(token: str, weight: str = "") -> str:
    """A quoted lexeme for a tsvector or tsquery literal."""
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":" + weight if weight else "")


def phrase(tokens: list[str], weight: str = "") -> str:
    if len(tokens) == 1:
        return lexeme(tokens[0], weight)
    return "(" + " <-> ".join(lexeme(token, weight) for token in tokens) + ")"


def rank(column: str) -> str:
    return f"ts_rank({RANK_WEIGHTS}, {column}, %s::tsquery)"


@dataclass
class Sql:
    """A fragment of SQL and its parameters, in order."""

    text: str
    params: list = field(default_factory=list)


def _sum(parts: list[Sql]) -> Sql:
    if not parts:
        return Sql("0")
    return Sql(
        "(" + " + ".join(part.text for part in parts) + ")", [p for x in parts for p in x.params]
    )


@dataclass
class WordsPlan:
    match: str  # folded tsquery
    score: Sql


@dataclass
class TextPlan:
    """`match`: the tsquery on `folded` (None: no text condition); `impossible`: nothing can
    match; `extra`: a further condition; `score`: the relevance expression."""

    match: str | None = None
    impossible: bool = False
    extra: Sql | None = None
    score: Sql = field(default_factory=lambda: Sql("0"))


def words_plan(words: list[str], exact_weight: float) -> WordsPlan | None:
    """One word, or a run of several in order: matched on the folded vector, scored the
    better of folded and exact × `exact_weight` (title × TITLE_WEIGHT)."""
    exact = [word for word in words if indexable(word)]
    if not exact or len(exact) != len(words):
        return None
    folded = [fold_lower(word) for word in exact]
    folded_query, exact_query = phrase(folded), phrase(exact)
    if len(exact) == 1:
        score = Sql(
            f"{TITLE_WEIGHT} * GREATEST({rank('folded')}, {exact_weight} * {rank('exact')})",
            [folded_query, exact_query],
        )
    else:
        # ts_rank does not check the order of a phrase: the exact bonus needs the phrase.
        score = Sql(
            f"{TITLE_WEIGHT} * GREATEST({rank('folded')}, CASE WHEN exact @@ %s::tsquery "
            f"THEN {exact_weight} * {rank('exact')} ELSE 0 END)",
            [folded_query, exact_query, exact_query],
        )
    return WordsPlan(match=folded_query, score=score)


def _coverage(matches: list[str | None], plan: TextPlan) -> str | None:
    """The tsquery that holds the required number of content slots (see the module)."""
    needed = minimum_should_match(len(matches))
    possible = [match for match in matches if match is not None]
    if needed > len(possible):
        plan.impossible = True
        return None
    if needed == len(possible):
        return "(" + " & ".join(possible) + ")"
    if comb(len(possible), needed) <= MAX_COMBINATIONS:
        return (
            "("
            + " | ".join("(" + " & ".join(group) + ")" for group in combinations(possible, needed))
            + ")"
        )
    counted = [Sql("(folded @@ %s::tsquery)::int", [match]) for match in possible]
    total = _sum(counted)
    plan.extra = Sql(f"{total.text} >= {needed}", total.params)
    return "(" + " | ".join(possible) + ")"


def text_plan(parsed: ParsedQuery, expansions=(), scoring: bool = True) -> TextPlan:
    plan = TextPlan()
    words = list(parsed.terms) + [word for words in parsed.phrases for word in words]
    marked = any(fold_lower(word) != word for word in words)
    exact_weight = EXACT_WEIGHT if marked else UNMARKED_EXACT_WEIGHT
    conditions: list[str] = []
    scores: list[Sql] = []
    content: list[str | None] = []
    for slot in plan_slots(parsed, expansions):
        typed = words_plan([slot.word], exact_weight)
        matches = [typed.match] if typed else []
        slot_scores = [typed.score] if typed else []
        for alternative, weight in slot.alternatives:
            found = words_plan(list(alternative), exact_weight)
            if found is None:
                continue
            matches.append(found.match)
            slot_scores.append(Sql(f"{float(weight)} * {found.score.text}", found.score.params))
        match = "(" + " | ".join(matches) + ")" if matches else None
        if slot.content:
            content.append(match)
        scores.extend(slot_scores)
    if content:
        coverage = _coverage(content, plan)
        if coverage:
            conditions.append(coverage)
    for words_in_phrase in parsed.phrases:
        found = words_plan(list(words_in_phrase), exact_weight)
        if found is None:
            plan.impossible = True
            continue
        conditions.append(found.match)
        scores.append(found.score)
    excluded = [fold_lower(word) for word in parsed.excluded if indexable(word)]
    if excluded:
        conditions.append("!(" + " | ".join(lexeme(word) for word in excluded) + ")")
    if plan.impossible:
        return plan
    plan.match = " & ".join(conditions) if conditions else None
    if scoring:
        scores += _proximity(parsed, exact_weight)
        plan.score = _sum(scores)
    return plan


def _proximity(parsed: ParsedQuery, exact_weight: float) -> list[Sql]:
    runs = [list(pair) for pair in adjacent_pairs(parsed)]
    share = min(1.0, PROXIMITY_PAIRS / len(runs)) if runs else 1.0
    weights = [PROXIMITY_WEIGHT * share * exact_weight] * len(runs)
    if 3 <= len(parsed.terms) <= MAX_RUN:
        runs.append(list(parsed.terms))
        weights.append(WHOLE_RUN_WEIGHT * exact_weight)
    out = []
    for words, weight in zip(runs, weights, strict=True):
        folded = [fold_lower(word) for word in words if indexable(word)]
        if len(folded) < 2 or len(folded) != len(words):
            continue
        out.append(
            Sql(
                f"(CASE WHEN folded @@ %s::tsquery THEN {TITLE_WEIGHT} "
                f"WHEN folded @@ %s::tsquery THEN 1.0 ELSE 0 END) * {weight}",
                [phrase(folded, "A"), phrase(folded)],
            )
        )
    return out
