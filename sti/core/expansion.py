"""Query expansion: other words that mean what the user typed (regional pairs, common and
scientific names, abbreviations), shared by search, the duplicate check and technology
matching.

An app that knows such words (the thesaurus) registers an expander from its
`AppConfig.ready()`; the lower floors ask this module without importing that app:

    from sti.core import expansion

    expansion.register_expander("thesaurus", thesaurus_expansions)   # in ready()
    for item in expansion.expansions("bệnh đạo ôn trên bắp"):
        item.term, item.alternative, item.weight    # "bắp", "ngô", 0.6

An expansion is always weaker than the typed word (0 < weight < 1): callers add the
alternative as an optional clause at that weight, never as a requirement. With no expander
registered, `expansions()` returns nothing and every caller behaves as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Expansion:
    term: str  # the words of the text it stands for, as found there (NFC)
    alternative: str  # what to look for as well (NFC, may be several syllables)
    weight: float  # relative to the typed word: 0 < weight < 1
    source: str = ""  # who proposed it, e.g. "thesaurus", shown to editors
    relation: str = ""  # e.g. "synonym", "regional", "scientific", "abbreviation"


Expander = Callable[[str], list[Expansion]]

_expanders: dict[str, Expander] = {}


def register_expander(key: str, expander: Expander) -> None:
    if key in _expanders:
        raise ValueError(f"expander {key!r} registered twice")
    _expanders[key] = expander


def unregister_expander(key: str) -> None:
    _expanders.pop(key, None)


def expansions(text: str, *, limit: int = 20) -> list[Expansion]:
    """The alternatives all expanders propose for `text`, strongest first, one per
    alternative, none with a weight outside (0, 1)."""
    if not text or not text.strip():
        return []
    best: dict[str, Expansion] = {}
    for expander in _expanders.values():
        for item in expander(text):
            if not 0 < item.weight < 1 or not item.alternative.strip():
                continue
            key = item.alternative.casefold()
            if key not in best or item.weight > best[key].weight:
                best[key] = item
    return sorted(best.values(), key=lambda item: -item.weight)[:limit]
