"""Parse what a user typed into terms, quoted phrases and exclusions.

`Cần Thơ "lúa chịu mặn" -tôm` → terms ["cần", "thơ"], phrases [["lúa", "chịu", "mặn"]],
excluded ["tôm"]. Each piece keeps its accents; backends fold as they need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sti.core.text import fold_lower, normalize, tokenize

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


def expandable_text(text: str) -> str:
    """The words typed outside quoted phrases and exclusions, as typed (case, "&" and
    marks kept): what query expansion may add alternatives for."""
    words = []
    for match in _PIECE.finditer(normalize(text)[:1000]):
        _negated, phrase, bare = match.groups()
        if phrase is None and not (bare.startswith("-") and len(bare) > 1):
            words.append(bare)
    return " ".join(words)
