"""The labelled set (`data/offers.psv`, `data/demands.psv`) as plain records, for the bench
and the tests. The files say their columns in their header comments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sti.market.matching.records import Query, Record

DATA_DIR = Path(__file__).resolve().parent / "data"
MILLION = 1_000_000


@dataclass(frozen=True)
class LabelledDemand:
    code: str  # D… (has right offers) or N… (has none)
    query: Query
    right: frozenset[int]  # offer ids


def _lines(name: str):
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line


def offer_id(code: str) -> int:
    return int(code.lstrip("O"))


def offers() -> list[Record]:
    out = []
    for line in _lines("offers.psv"):
        code, field, trl, _price_type, price, _owner, title, summary = line.split("|", 7)
        out.append(
            Record(
                kind="offer",
                id=offer_id(code),
                title=title,
                text=summary,
                field=field,
                trl=int(trl),
                price=int(price) * MILLION or None,
            )
        )
    return out


def demands() -> list[LabelledDemand]:
    out = []
    for line in _lines("demands.psv"):
        code, budget, trl, right, text = line.split("|", 4)
        out.append(
            LabelledDemand(
                code=code,
                query=Query(
                    text=text,
                    trl=int(trl) or None,
                    budget_max=int(budget) * MILLION or None,
                ),
                right=frozenset(offer_id(c) for c in right.split(",") if c != "-"),
            )
        )
    return out
