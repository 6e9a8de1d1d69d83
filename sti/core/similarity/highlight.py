"""Explaining a match: the passages two texts share, marked in both.

A passage is a run of syllable bigrams found in both texts (compared folded, so "ca tra"
marks "cá tra"); the texts themselves are shown as written, HTML-escaped.
"""

from __future__ import annotations

import html
import re
import unicodedata

from sti.core.text import VIETNAMESE_STOPWORDS, fold_lower

__all__ = ["MAX_HIGHLIGHT_CHARS", "highlight_pair"]

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
    # NFC first: in NFD a combining mark splits a syllable ("Nguyễn" → "Nguye", "n").
    a = unicodedata.normalize("NFC", a or "")[:MAX_HIGHLIGHT_CHARS]
    b = unicodedata.normalize("NFC", b or "")[:MAX_HIGHLIGHT_CHARS]
    spans_a, spans_b = _spans(a), _spans(b)
    shared = _bigrams(spans_a) & _bigrams(spans_b)
    return _render(a, spans_a, shared), _render(b, spans_b, shared)
