"""The content of a catalogue, independent of its output format."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sti.core.text import fold_lower, normalize


@dataclass
class Entry:
    """One numbered entry: a code, a title, labelled lines, free paragraphs and a footer.

    `index_terms` are the names under which the entry appears in the index (organizations).
    """

    title: str
    code: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    footer: str = ""
    index_terms: list[str] = field(default_factory=list)
    number: int = 0


@dataclass
class Section:
    code: str
    name: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.code}. {self.name}" if self.code else self.name

    @property
    def anchor(self) -> str:
        return f"sec-{self.code or 'khac'}"


@dataclass
class Catalogue:
    title: str
    subtitle: str = ""
    publisher: str = ""
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    issued: date = field(default_factory=date.today)
    toc_title: str = "MỤC LỤC"
    index_title: str = "CHỈ MỤC TỔ CHỨC"
    entry_word: str = "mục"

    def number_entries(self) -> None:
        number = 0
        for section in self.sections:
            for entry in section.entries:
                number += 1
                entry.number = number

    @property
    def entry_count(self) -> int:
        return sum(len(section.entries) for section in self.sections)

    def index(self) -> list[tuple[str, list[int]]]:
        """(term, entry numbers) sorted accent-insensitively, as Vietnamese readers expect."""
        terms: dict[str, list[int]] = defaultdict(list)
        for section in self.sections:
            for entry in section.entries:
                for term in entry.index_terms:
                    if term:
                        terms[normalize(term)].append(entry.number)
        return sorted(terms.items(), key=lambda item: (fold_lower(item[0]), item[0]))


Progress = Callable[[float], None]


def no_progress(_fraction: float) -> None:
    return None
