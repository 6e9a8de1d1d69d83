"""Vietnamese text utilities: normalization, folding, tokenization and slugs.

Vietnamese is written with precomposed letters (NFC) but arrives just as often decomposed
(NFD, from macOS and some Word exports) or with legacy combining sequences. We store NFC,
and compare and search on a *folded* form where every diacritic is removed and đ/Đ becomes
d/D, so that "can tho" finds "Cần Thơ".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

__all__ = [
    "normalize",
    "fold",
    "fold_lower",
    "tokenize",
    "tokenize_folded",
    "syllable_ngrams",
    "slugify",
    "has_diacritics",
    "VIETNAMESE_STOPWORDS",
]

_COMBINING_MARKS = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# Letters that carry no combining mark in NFD but still must fold.
_NON_DECOMPOSING = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L"})
# A "word" is a run of letters or digits; Vietnamese syllables are separated by spaces, and
# hyphens, dots or slashes inside codes ("QCVN 11-MT:2015") split into parts.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def normalize(text: str | None) -> str:
    """Return `text` in NFC with surrounding whitespace trimmed and inner runs collapsed.

    Control characters (other than newlines and tabs) are dropped; they arrive from PDF
    extraction and spreadsheets and break XML output.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(lines).strip()


def fold(text: str | None) -> str:
    """Remove every diacritic and map đ→d, keeping case: "Đường Cần Thơ" → "Duong Can Tho"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = _COMBINING_MARKS.sub("", decomposed).translate(_NON_DECOMPOSING)
    return unicodedata.normalize("NFC", stripped)


def fold_lower(text: str | None) -> str:
    """Folded and lower-cased: the comparison key for search and duplicate checks."""
    return fold(text).lower()


def tokenize(text: str | None) -> list[str]:
    """Split into lower-cased syllables, diacritics kept: "Cần Thơ, 2025" → ["cần", "thơ", "2025"]."""
    if not text:
        return []
    return _WORD.findall(unicodedata.normalize("NFC", str(text)).lower())


def tokenize_folded(text: str | None) -> list[str]:
    """Split into folded, lower-cased syllables: "Cần Thơ" → ["can", "tho"]."""
    return _WORD.findall(fold_lower(text))


def syllable_ngrams(tokens: Iterable[str], sizes: Iterable[int] = (1, 2)) -> Iterator[str]:
    """Yield syllable n-grams joined by "_": the unit of Vietnamese words ("cần_thơ")."""
    tokens = list(tokens)
    for size in sizes:
        for start in range(len(tokens) - size + 1):
            yield "_".join(tokens[start : start + size])


def slugify(text: str | None, max_length: int = 80) -> str:
    """A URL slug that folds Vietnamese: "Đề tài cấp Thành phố" → "de-tai-cap-thanh-pho"."""
    slug = _SLUG_JUNK.sub("-", fold_lower(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def has_diacritics(text: str | None) -> bool:
    """True when folding changes the text, i.e. the user typed Vietnamese marks or đ."""
    return bool(text) and fold(text) != unicodedata.normalize("NFC", str(text))


# Function words that carry little meaning for matching and "more like this".
VIETNAMESE_STOPWORDS = frozenset(
    fold_lower(word)
    for word in (
        "và của các cho trong với là được có những một này theo tại đến từ để khi về "
        "trên dưới như nhằm đã sẽ đang không thì mà hoặc bằng do vì nên ra vào lại cũng "
        "rất nhiều ít hơn nhất sự việc người"
    ).split()
)


def clip(text: str | None, limit: int) -> str:
    """`text` with its white space collapsed, cut at a word boundary to at most `limit`
    characters and ended with " …" when cut (summaries in bulletins, catalogues, e-mails)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{head} …"
