"""Plain records the matching engine reads and writes: no Django model here, so the engine
runs (and is tested) on the labelled set and on synthetic corpora as it runs on the database.

A `Record` is what a candidate shows of itself to the engine: only its public text (an
offer's confidential detail never goes into a record, hence never into a score or an
explanation shown to someone else). A `Query` is the demand (or offer) being matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kind codes of the shared similarity matrix (one int8 per row).
KIND_CODES = {"offer": 1, "task": 2, "document": 3, "expert": 4, "demand": 5}
KIND_NAMES = {code: name for name, code in KIND_CODES.items()}


@dataclass(frozen=True)
class Record:
    kind: str  # offer, task, document, expert, demand
    id: int
    title: str
    text: str = ""  # public text only
    field: str = ""  # S&T field code (QĐ 12/2008), "" when unknown
    trl: int | None = None  # 1–9
    price: int | None = None  # VND; None or 0: by agreement
    url: str = ""

    @property
    def key(self) -> tuple[int, int]:
        return (KIND_CODES[self.kind], self.id)

    @property
    def body(self) -> str:
        return f"{self.title}. {self.text}" if self.text else self.title


@dataclass(frozen=True)
class Query:
    text: str
    title: str = ""
    field: str = ""  # given by the requester; inferred when empty
    trl: int | None = None  # the lowest TRL wanted
    budget_min: int | None = None  # VND
    budget_max: int | None = None  # VND
    price: int | None = None  # an offer's price, when an offer is the query

    @property
    def body(self) -> str:
        return f"{self.title}. {self.text}" if self.title else self.text


@dataclass(frozen=True)
class ExpandedTerm:
    term: str  # the words of the query it came from ("" for corpus feedback)
    alternative: str  # what was looked for as well, as found in the match
    source: str  # "thesaurus" or "corpus"
    relation: str = ""  # thesaurus relation, or the titles the corpus term came from
    weight: float = 0.0


@dataclass(frozen=True)
class FieldFit:
    query_field: str  # the field of the query, given or inferred
    inferred: bool  # True when inferred from the text
    confidence: float  # 0–1, of the inferred field
    match_field: str
    fit: float  # 1 same field, 0.5 same group, 0 other or unknown


@dataclass(frozen=True)
class Fit:
    fit: float | None  # 1 fits, 0.5 near, 0 does not, None unknown
    wanted: int | None
    offered: int | None


@dataclass
class Match:
    kind: str
    object_id: int
    title: str
    url: str
    score: float  # 0–1 and above: what the threshold compares
    text_score: float  # the cosine of the expanded query with the record
    coverage: float = 0.0  # idf share of the query's informative words the record holds
    shared: list[str] = field(default_factory=list)
    expanded: list[ExpandedTerm] = field(default_factory=list)
    field_fit: FieldFit | None = None
    trl_fit: Fit | None = None
    budget_fit: Fit | None = None

    @property
    def reasons(self) -> list[str]:
        from sti.market.matching.explain import reasons

        return reasons(self)
