"""Duplicates across sources: the matching keys of a record and the rule that says two
records describe the same work.

Two records are the same work when they carry the same DOI, or the same ISBN (ISBN-10 and
-13 alike); a different DOI or ISBN on both sides says they are not. Otherwise they must have
the same year, the same first author (a bag of folded words, so "Nguyễn Văn An" = "Nguyen,
Van An", and "Nguyễn V. A." too) and near-identical folded titles: the same words (diacritics, case, punctuation and
"và"/"&" aside), or up to two words of five letters or more each one typing slip apart (one
letter added, dropped or changed: "nghiên" typed "ngiên"). Shorter words and words with
digits must match exactly, since one letter there makes another word ("mía"/"mít",
"OM5451"/"OM4900"), and a title of fewer than four words must match whole.

The center's own documents are matched with harvested records by the same rule and the same
blocks (`match_local`): a cluster of harvested records that is the same work as a document
is shown once, as that document, with all its sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from sti.core.text import tokenize_folded

DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
# Words that come and go between two catalogues of the same title.
# Words that come and go between two catalogues of the same title: "và"/"&", "tại"/",",
# "của", "ở", "cho", "về", "các" and their English counterparts.
STOP_WORDS = frozenset(
    {"va", "tai", "o", "cua", "cho", "ve", "cac", "and", "the", "a", "an", "of", "in", "at"}
)
HEAD_WORDS = 4  # the title's first words, a second block beside (year, first author)
MAX_SLIPS = 2
MIN_FUZZY_WORDS = 4
MIN_SLIP_LETTERS = 5


def normalize_doi(value: str) -> str:
    """ "https://doi.org/10.1/ABC." → "10.1/abc" ("" when there is none)."""
    match = DOI_PATTERN.search(value or "")
    return match.group(0).rstrip(".,;").lower() if match else ""


def normalize_isbn(value: str) -> str:
    """An ISBN as its 13 digits (an ISBN-10 converted), "" when it is not one."""
    digits = re.sub(r"[^0-9Xx]", "", value or "").upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core))
        return core + str((10 - total % 10) % 10)
    if len(digits) == 13 and digits.isdigit():
        return digits
    return ""


def title_key(title: str) -> str:
    return " ".join(word for word in tokenize_folded(title) if word not in STOP_WORDS)


def author_key(name: str) -> str:
    return " ".join(sorted(tokenize_folded(name)))[:200]


def title_head(key: str) -> str:
    return " ".join(key.split()[:HEAD_WORDS])[:200]


def same_author(a: str, b: str) -> bool:
    """Equal bags of words, or one written with initials: "nguyen v a" = "an nguyen van"."""
    if a == b:
        return bool(a)
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return False
    initials_a = [w for w in wa if len(w) == 1]
    initials_b = [w for w in wb if len(w) == 1]
    if bool(initials_a) == bool(initials_b):
        return False
    short, full = (wa, wb) if initials_a else (wb, wa)
    names = [w for w in short if len(w) > 1]
    rest = list(full)
    for name in names:
        if name not in rest:
            return False
        rest.remove(name)
    initials = sorted(w for w in short if len(w) == 1)
    return bool(names) and sorted(w[0] for w in rest) == initials


@dataclass(frozen=True)
class Keys:
    """What matching reads of a record."""

    doi: str = ""
    isbn: str = ""
    title_key: str = ""
    year: int | None = None
    author_key: str = ""

    @property
    def title_head(self) -> str:
        return title_head(self.title_key)


def keys_of(record) -> Keys:
    return Keys(record.doi, record.isbn, record.title_key, record.year, record.author_key)


def _one_slip(a: str, b: str) -> bool:
    """At most one letter added, dropped or changed."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def similar_titles(a: str, b: str) -> bool:
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return bool(a)
    wa, wb = a.split(), b.split()
    if min(len(wa), len(wb)) < MIN_FUZZY_WORDS:
        return False
    slips = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op != "replace" or i2 - i1 != j2 - j1:
            return False
        for x, y in zip(wa[i1:i2], wb[j1:j2], strict=True):
            if any(ch.isdigit() for ch in x + y) or min(len(x), len(y)) < MIN_SLIP_LETTERS:
                return False
            if not _one_slip(x, y):
                return False
            slips += 1
    return slips <= MAX_SLIPS


def same_work(a: Keys, b: Keys) -> bool:
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.isbn and b.isbn:
        return a.isbn == b.isbn
    if a.year is None or a.year != b.year or not same_author(a.author_key, b.author_key):
        return False
    return similar_titles(a.title_key, b.title_key)


def cluster(records: Sequence[Keys]) -> list[int]:
    """Cluster labels (the smallest index of each cluster) for a list of records, blocking
    on DOI, ISBN and (year, first author) as the database does."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # What each cluster holds: two different DOIs (or ISBNs) never end in one cluster, even
    # through a third record that has neither.
    held = [({k.doi} - {""}, {k.isbn} - {""}) for k in records]
    blocks: dict[tuple, list[int]] = {}
    for index, keys in enumerate(records):
        for block in blocks_of(keys):
            blocks.setdefault(block, []).append(index)
    for members in blocks.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                a, b = sorted((find(i), find(j)))
                if a != b and compatible(held[a], held[b]) and same_work(records[i], records[j]):
                    parent[b] = a
                    held[a] = (held[a][0] | held[b][0], held[a][1] | held[b][1])
    return [find(i) for i in range(len(records))]


def compatible(a: tuple[set, set], b: tuple[set, set]) -> bool:
    """Two clusters may merge unless they hold different DOIs or different ISBNs."""
    return all(len(x | y) <= 1 or not (x and y) for x, y in zip(a, b, strict=True))


def blocks_of(keys: Keys) -> Iterable[tuple]:
    if keys.doi:
        yield ("doi", keys.doi)
    if keys.isbn:
        yield ("isbn", keys.isbn)
    if keys.year is not None and keys.author_key:
        yield ("work", keys.year, keys.author_key)
    if keys.year is not None and keys.title_key:
        yield ("head", keys.year, keys.title_head)


def match_local(records: Sequence[Keys], labels: Sequence[int], local: Sequence[Keys]) -> list:
    """For each harvested record, the index in `local` of the center's document its cluster
    (`labels`, as `cluster` gives them) is the same work as, or None. A member matches a
    document by `same_work` within the blocks of `blocks_of`; the cluster takes the smallest
    document any member matches whose DOI and ISBN agree with the cluster's own."""
    blocks: dict[tuple, list[int]] = {}
    for index, keys in enumerate(local):
        for block in blocks_of(keys):
            blocks.setdefault(block, []).append(index)
    held: dict[int, tuple[set, set]] = {}
    for keys, label in zip(records, labels, strict=True):
        dois, isbns = held.setdefault(label, (set(), set()))
        dois.update({keys.doi} - {""})
        isbns.update({keys.isbn} - {""})
    chosen: dict[int, int] = {}
    for keys, label in zip(records, labels, strict=True):
        candidates = {i for block in blocks_of(keys) for i in blocks.get(block, ())}
        for i in sorted(candidates):
            if label in chosen and chosen[label] <= i:
                break
            other = ({local[i].doi} - {""}, {local[i].isbn} - {""})
            if compatible(held[label], other) and same_work(keys, local[i]):
                chosen[label] = i
                break
    return [chosen.get(label) for label in labels]
