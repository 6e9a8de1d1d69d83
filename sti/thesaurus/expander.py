"""The thesaurus's query expander, registered with `sti.core.expansion` from `ready()`.

Each process keeps the whole thesaurus as an in-memory map (a few thousand terms, well under
a megabyte) and looks the text up without a query: the longest run of syllables that names
a term wins (folded, so "bap" finds "bắp"; a run typed with marks must match them exactly,
so "mẹ" is not "mè"), and an abbreviation matches a whole token as typed, in any case, with
or without its marks ("ĐBSCL", "dbscl", "KH&CN"); one of three letters or fewer only when
typed with a capital, since "ai", "gap" or "ras" are also words typed without marks. The map is rebuilt when `Revision.number`
has changed, checked at most every `STI_THESAURUS_CHECK_SECONDS` (one small query), and at
once in the process that made a change (`invalidate`, on commit).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError

from sti.core.expansion import Expansion
from sti.core.text import fold, tokenize
from sti.thesaurus.choices import TermRelation

log = logging.getLogger(__name__)

SOURCE = "thesaurus"
_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»…"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # as `sti.core.text.tokenize` cuts syllables
SHORT_ABBREVIATION = 3  # letters; a token this short matches only with a capital letter


@dataclass(frozen=True)
class Entry:
    concept: int
    text: str  # as stored (NFC)
    exact: str  # lower case, accents kept
    words: tuple[str, ...]  # its syllables, lower case, accents kept
    weight: float  # against the preferred term (the preferred term itself: 1.0)
    relation: str


@dataclass
class Index:
    revision: int = -1
    syllables: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    tokens: dict[str, list[Entry]] = field(default_factory=dict)  # abbreviations
    concepts: dict[int, list[Entry]] = field(default_factory=dict)
    # first folded syllable → the lengths of the terms that start with it, longest first
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # (concept, exact) → (alternative, weight, relation) of the other terms, weights < 1
    alternatives: dict[tuple[int, str], tuple[tuple[str, float, str], ...]] = field(
        default_factory=dict
    )


@lru_cache(maxsize=20000)
def _fold(token: str) -> str:
    return fold(token)


def build(revision: int = 0) -> Index:
    """The map of every term, from two queries."""
    from sti.thesaurus.models import Concept, Term

    index = Index(revision=revision)
    rows = [(pk, label, 1.0, "") for pk, label in Concept.objects.values_list("pk", "label")]
    rows += Term.objects.values_list("concept_id", "text", "weight", "relation")
    entries = [
        Entry(concept, text, text.lower(), tuple(tokenize(text)), weight, relation)
        for concept, text, weight, relation in rows
    ]
    for entry in entries:
        index.concepts.setdefault(entry.concept, []).append(entry)
        if entry.relation == TermRelation.ABBREVIATION:
            for key in {entry.exact, _fold(entry.exact)}:
                index.tokens.setdefault(key, []).append(entry)
            continue
        syllables = tuple(_fold(word) for word in entry.words)
        if syllables:
            index.syllables.setdefault(syllables, []).append(entry)
    starts: dict[str, set[int]] = {}
    for syllables in index.syllables:
        starts.setdefault(syllables[0], set()).add(len(syllables))
    index.lengths = {first: tuple(sorted(sizes, reverse=True)) for first, sizes in starts.items()}
    for members in index.concepts.values():
        for found in members:
            index.alternatives[(found.concept, found.exact)] = _alternatives(members, found)
    return index


_lock = threading.Lock()
_index = Index()
_checked_at = float("-inf")


def invalidate() -> None:
    """Check the revision on the next call (a change made in this process)."""
    global _checked_at
    _checked_at = float("-inf")


def forget() -> None:
    """Drop the map (tests: a rolled-back test may leave one built from its own rows)."""
    global _index
    _index = Index()
    invalidate()


def current_index() -> Index:
    global _index, _checked_at
    now = time.monotonic()
    interval = settings.STI_THESAURUS_CHECK_SECONDS
    if now - _checked_at < interval:
        return _index
    with _lock:
        if now - _checked_at < interval:
            return _index
        from sti.thesaurus.models import Revision

        try:
            revision = Revision.objects.values_list("number", flat=True).first() or 0
            if revision != _index.revision:
                _index = build(revision)
        except (DatabaseError, RuntimeError) as error:
            # No table yet (during migrate) or no database in this test: expand nothing.
            log.debug("thesaurus not available: %s", error)
            return Index()
        _checked_at = now
    return _index


def _alternatives(members: list[Entry], found: Entry) -> tuple[tuple[str, float, str], ...]:
    """The other terms of `found`'s concept, each weighted by both relations (< 1). A narrower
    term (one kind of the concept) stands for nothing else: "bưởi" does not find "cây có
    múi" nor "cam", while "cây có múi" finds "bưởi"."""
    if found.relation == TermRelation.NARROWER:
        return ()
    out = []
    for other in members:
        weight = round(found.weight * other.weight, 3)
        if other.exact != found.exact and 0 < weight < 1:
            out.append((other.text, weight, other.relation or found.relation))
    return tuple(out)


def _match_syllables(index: Index, exact: list[str], folded: list[str]) -> list[tuple[str, Entry]]:
    """(words of the text, entry) for the longest term starting at each position."""
    found = []
    position = 0
    while position < len(folded):
        step = 1
        for size in index.lengths.get(folded[position], ()):
            if position + size > len(folded):
                continue
            entries = index.syllables.get(tuple(folded[position : position + size]))
            if not entries:
                continue
            # A syllable typed with marks must carry the same marks in the term.
            marked = [
                offset
                for offset in range(size)
                if exact[position + offset] != folded[position + offset]
            ]
            if marked:
                entries = [
                    entry
                    for entry in entries
                    if all(entry.words[i] == exact[position + i] for i in marked)
                ]
            if entries:
                typed = " ".join(exact[position : position + size])
                found.extend((typed, entry) for entry in entries)
                step = size
                break
        position += step
    return found


# Common Vietnamese family names: a capitalized run of syllables led by one of them is a
# person's name ("Ngô Văn Hùng", "Mai Thị Lan"), whose syllables are not crop words.
SURNAMES = frozenset(
    """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý lâm châu tăng
    trương đoàn đinh mai cao lương tạ tô hà quách thái la từ kiều triệu mạc lưu chu tống
    văn diệp khưu thạch kha lạc đào đàm""".split()
)


def _name_positions(text: str, count: int) -> set[int]:
    """Positions (in `tokenize(text)`) of the syllables of person names: a run of two to
    four capitalized syllables (first letter upper, the rest lower) led by a family name.
    A query all in capitals or all in lower case has none."""
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    if len(words) != count:
        return set()
    capital = [word[:1].isupper() and (len(word) == 1 or word[1:].islower()) for word in words]
    positions: set[int] = set()
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and capital[end]:
            end += 1
        if end - start >= 2 and words[start].lower() in SURNAMES:
            positions.update(range(start, min(end, start + 4)))
        start = max(end, start + 1)
    return positions


def expand(text: str) -> list[Expansion]:
    """Every alternative the thesaurus knows for the terms in `text` (the registered
    expander). Syllables of a person's name are never expanded: "Ngô Văn Hùng" is not about
    maize, though "ngô" alone is."""
    index = current_index()
    if not index.concepts or not text:
        return []
    exact = tokenize(text)
    folded = [_fold(token) for token in exact]
    names = _name_positions(text, len(exact))
    if names:
        # A name's syllables match no term: the runs on either side are looked up apart.
        exact = [word if i not in names else "" for i, word in enumerate(exact)]
        folded = [word if i not in names else "" for i, word in enumerate(folded)]
    matches = _match_syllables(index, exact, folded)
    if index.tokens:
        for raw in text.split():
            token = raw.strip(_PUNCTUATION)
            lowered = token.lower()
            if len(token) <= SHORT_ABBREVIATION and lowered == token:
                continue
            for entry in index.tokens.get(lowered) or index.tokens.get(_fold(lowered), ()):
                matches.append((token, entry))
    return [
        Expansion(term, alternative, weight, SOURCE, relation)
        for term, entry in matches
        for alternative, weight, relation in index.alternatives[(entry.concept, entry.exact)]
    ]
