"""Parse what a user typed into terms, quoted phrases and exclusions.

`Cần Thơ "lúa chịu mặn" -tôm` → terms ["cần", "thơ"], phrases [["lúa", "chịu", "mặn"]],
excluded ["tôm"]. Each piece keeps its accents; backends fold as they need.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sti.core.text import VIETNAMESE_STOPWORDS, fold_lower, normalize, tokenize

_PIECE = re.compile(r'(-?)"([^"]*)"|(\S+)')
MAX_TERMS = 32


@dataclass
class ParsedQuery:
    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)

    def folded_terms(self) -> set[str]:
        """Every folded syllable the user asked for: the highlighter marks these."""
        words = list(self.terms)
        for phrase in self.phrases:
            words.extend(phrase)
        return {fold_lower(word) for word in words}


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    text = normalize(text)[:1000]
    for match in _PIECE.finditer(text):
        negated, phrase, bare = match.groups()
        if phrase is not None:
            tokens = tokenize(phrase)
            if negated:
                parsed.excluded.extend(tokens)
            elif len(tokens) == 1:
                parsed.terms.extend(tokens)
            elif tokens:
                parsed.phrases.append(tokens)
            continue
        if bare.startswith("-") and len(bare) > 1:
            parsed.excluded.extend(tokenize(bare[1:]))
        else:
            parsed.terms.extend(tokenize(bare))
    parsed.terms = parsed.terms[:MAX_TERMS]
    parsed.phrases = [phrase[:MAX_TERMS] for phrase in parsed.phrases[:8]]
    return parsed


# ----------------------------------------------------------------------
# Ranking plan: coverage, proximity and expansions, for any backend
# ----------------------------------------------------------------------
# A query of up to this many content words needs them all; a longer one needs this
# fraction of them (never fewer than the first figure): a document that misses a word or two
# of a long question is still found, and more of the words rank it higher. Measured on
# bench/relevance.py: needing all three words of a three-word query lost relevant records
# that hold the two-syllable word and not the third ("bệnh đạo ôn" → "gen kháng đạo ôn"):
# unaccented queries 0.890 → 0.966 nDCG@10, accented 0.969 → 0.995.
ALL_WORDS_UP_TO = 2
COVERAGE = 0.25


def minimum_should_match(content_words: int) -> int:
    """How many of a query's content words a document must contain."""
    if content_words <= ALL_WORDS_UP_TO:
        return content_words
    return max(ALL_WORDS_UP_TO, math.ceil(COVERAGE * content_words))


@dataclass
class Slot:
    """One typed word: a content word counts towards the coverage, a function word (và, của,
    trên…) only adds to the score. `alternatives` are thesaurus words that may stand in for
    it, each as (syllables, weight below 1)."""

    word: str
    content: bool = True
    alternatives: list[tuple[list[str], float]] = field(default_factory=list)
    # For each alternative, the typed words it stands for (one or several syllables): a
    # backend that bounds an alternative's rarity compares it with theirs.
    stands_for: list[list[str]] = field(default_factory=list)


def free_text(text: str) -> str:
    """The words typed outside quotes and exclusions, as typed: what a thesaurus expands."""
    text = normalize(text)[:1000]
    words = []
    for match in _PIECE.finditer(text):
        negated, phrase, bare = match.groups()
        if phrase is not None or negated or bare.startswith("-"):
            continue
        words.append(bare)
    return " ".join(words)


def plan_slots(parsed: ParsedQuery, expansions=()) -> list[Slot]:
    """The typed words of `parsed.terms` with their coverage role and thesaurus alternatives.

    An expansion (`sti.core.expansion.Expansion`) stands for the typed words of its `term`;
    when they appear one after another among the terms, its alternative joins each of their
    slots at `weight / len(term)` (an alternative for "đậu phộng" weighs on both syllables,
    no more than once in all). Expansions of words inside quotes, or at a weight outside
    (0, 1), are ignored."""

    folded = [fold_lower(word) for word in parsed.terms]
    slots = [
        Slot(word=word, content=key not in VIETNAMESE_STOPWORDS)
        for word, key in zip(parsed.terms, folded, strict=True)
    ]
    if slots and not any(slot.content for slot in slots):
        for slot in slots:
            slot.content = True
    for item in expansions or ():
        weight = float(getattr(item, "weight", 0) or 0)
        term = [fold_lower(word) for word in tokenize(getattr(item, "term", ""))]
        alternative = tokenize(getattr(item, "alternative", ""))
        if not (0 < weight < 1) or not term or not alternative:
            continue
        for start in range(len(folded) - len(term) + 1):
            if folded[start : start + len(term)] == term:
                typed = parsed.terms[start : start + len(term)]
                for slot in slots[start : start + len(term)]:
                    slot.alternatives.append((alternative, weight / len(term)))
                    slot.stands_for.append(typed)
                break
    return slots


def adjacent_pairs(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """Consecutive typed words: a document holding them side by side holds the
    multi-syllable word they may form ("công nghệ", "thực phẩm")."""
    return list(zip(parsed.terms, parsed.terms[1:], strict=False))
