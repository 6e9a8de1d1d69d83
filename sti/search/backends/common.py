"""What every search backend does the same way to a `SearchDocument` before storing it:
clean text, moments as integers, access lists, field codes with their ancestors."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.utils import timezone as django_timezone

from sti.core.text import normalize
from sti.search.base import SearchHit, TextLoader
from sti.search.highlight import matched_terms, snippet

logger = logging.getLogger(__name__)

__all__ = [
    "BUILTIN_FACETS",
    "EPOCH",
    "INT_RANGE",
    "PUBLIC",
    "RESTRICTED",
    "TAG_NAME",
    "access_list",
    "clamp",
    "clean",
    "deep_snippets",
    "field_ancestors",
    "micros",
    "timestamp",
]

TAG_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# Characters `normalize` would drop (controls, zero-width and bidi marks, BOM).
_UNCLEAN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)
INT_RANGE = (-(2**62), 2**62)
PUBLIC = "public"
# Marks every record that is not public, so that searches can exclude the few restricted ones.
RESTRICTED = "~restricted"
# Facets the backends compute from their own columns; anything else is a tag.
BUILTIN_FACETS = {"type": "type", "field": "fields", "year": "year"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timestamp(value: date | datetime | None) -> int:
    """A moment in seconds since the epoch (0: none)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return int(value.timestamp())
    # A day starts at midnight where the platform is (TIME_ZONE), as pages judge it: an
    # embargo until 1 June lifts in search when it lifts on the page, not hours later.
    return _day_start(value, django_timezone.get_default_timezone())


@lru_cache(maxsize=65_536)
def _day_start(day: date, zone) -> int:
    """Midnight of `day` in `zone`, in seconds (cached: a bulk load has few distinct days,
    and the time-zone arithmetic was a fifth of the Python work per record)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def micros(value: date | datetime | None) -> int:
    """A moment in microseconds (0: none): windows of `created` are exact to the microsecond,
    so a record listed a moment after a digest's end is in the next digest."""
    if value is None:
        return 0
    if not isinstance(value, datetime):
        return timestamp(value) * 1_000_000
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - EPOCH) // timedelta(microseconds=1)


def clean(text: str | None) -> str:
    """NFC text for the index: `normalize` only when needed (it walks every character)."""
    if not text:
        return ""
    text = str(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _UNCLEAN.search(text):
        text = normalize(text)
    return text


def clamp(value: int | None) -> int | None:
    """An integer the engines can hold (years typed as 10**30 are clamped)."""
    if value is None:
        return None
    return max(INT_RANGE[0], min(INT_RANGE[1], int(value)))


def access_list(principals: Sequence[str]) -> list[str]:
    """Who may see a record, with `RESTRICTED` added to every record that is not public."""
    acl = [str(p) for p in principals if str(p) != RESTRICTED]
    if PUBLIC not in acl:
        acl.append(RESTRICTED)
    return acl


def field_ancestors(codes: Iterable[str]) -> list[str]:
    """Index a field code with its parents so a filter on "4" or "401" finds "40107"."""
    out: set[str] = set()
    for code in codes:
        code = str(code).strip()
        out.update(code[:length] for length in (1, 3, 5, 7) if len(code) >= length)
    return sorted(out)


def deep_snippets(
    found: list[tuple[SearchHit, bool, str]],
    wanted: set[str],
    full_texts: TextLoader | None,
    body_chars: int,
) -> None:
    """Snippets from the records' whole texts for the hits (hit, whether its body goes on
    past the stored excerpt, the excerpt) whose excerpt lacks a query word their body may
    hold further on: one `full_texts` call for the page."""
    deep = {
        f"{hit.type}:{hit.pk}": hit
        for hit, more, excerpt in found
        if more and matched_terms(excerpt, wanted) < wanted
    }
    if not deep or full_texts is None:
        return
    try:
        texts = full_texts(list(deep))
    except Exception:  # the excerpt's snippet is still a snippet
        logger.exception("could not load the full texts of %s", ", ".join(deep))
        return
    for uid, text in texts.items():
        if uid in deep and text:
            deep[uid].snippet_html = snippet(clean(text[:body_chars]), wanted)
