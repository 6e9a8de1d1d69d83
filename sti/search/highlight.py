"""Highlight matches in stored text, diacritic-aware.

Engines highlight the exact field only, so a search for "can tho" would mark nothing in
"Cần Thơ". We mark every syllable whose folded form was asked for, and choose the window of
the text with the most marks as the snippet.
"""

from __future__ import annotations

import re
from html import escape

from sti.core.text import fold_lower

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _marked_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text) if fold_lower(m.group()) in wanted]


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight_all(text: str, wanted: set[str]) -> str:
    """The whole (short) text, escaped, with matches in <mark>."""
    return _render(text, _marked_spans(text, wanted) if wanted else [], 0, len(text))


def snippet(text: str, wanted: set[str], length: int = 240) -> str:
    """The best window of about `length` characters, escaped, with matches in <mark>."""
    if not text:
        return ""
    # Looking at the first 200k characters keeps long full texts cheap.
    text = text[:200_000]
    spans = _marked_spans(text, wanted) if wanted else []
    if not spans:
        end = min(len(text), length)
        return escape(text[:end]) + ("…" if end < len(text) else "")
    best_start, best_count = spans[0][0], 0
    right = 0
    for left, (span_start, _end) in enumerate(spans):
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] - span_start <= length:
            right += 1
        distinct = len({fold_lower(text[s:e]) for s, e in spans[left : right + 1]})
        if distinct > best_count:
            best_start, best_count = span_start, distinct
    start = max(0, best_start - length // 4)
    # Start at a word boundary.
    if start > 0:
        space = text.find(" ", start)
        if 0 <= space < best_start:
            start = space + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > best_start:
            end = space
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + _render(text, spans, start, end) + suffix
