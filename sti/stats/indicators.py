"""The national S&T indicators 1401–1407: definitions and computation rules as data
(`data/national_indicators.yaml`), computed from the accepted submissions at each rebuild
(`sti.stats.aggregation`) and read back, with their definitions, by pages and the API.

A rule is either `count: "<form number>"` (organizations whose form was accepted) or
`value: "<cell expression>"` with `parts` (one expression per breakdown key); an indicator
with `computed: false` carries the reason it cannot be computed from the forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sti.stats.models import TOTAL, Indicator
from sti.stats.regimes import terms

DEFINITIONS = Path(__file__).parent / "data" / "national_indicators.yaml"


def _en() -> bool:
    return (get_language() or "vi").startswith("en")


@dataclass(frozen=True)
class Part:
    key: str
    name: str
    name_en: str
    expression: str

    @property
    def label(self) -> str:
        return self.name_en if _en() and self.name_en else self.name


@dataclass(frozen=True)
class NationalIndicator:
    code: str
    name: str
    name_en: str
    unit: str
    periodicity: str
    definition: str
    definition_en: str
    official_breakdowns: str
    source: str
    computation: str = ""
    computation_en: str = ""
    count: str = ""  # form number: count the organizations whose form was accepted
    value: str = ""  # cell expression summed over organizations
    parts: tuple[Part, ...] = field(default_factory=tuple)
    computed: bool = True
    reason: str = ""
    reason_en: str = ""

    @property
    def label(self) -> str:
        return self.name_en if _en() and self.name_en else self.name

    @property
    def definition_text(self) -> str:
        return self.definition_en if _en() and self.definition_en else self.definition

    @property
    def computation_text(self) -> str:
        if not self.computed:
            return self.reason_en if _en() and self.reason_en else self.reason
        return self.computation_en if _en() and self.computation_en else self.computation

    def expressions(self) -> list[tuple[str, str]]:
        """(option key, expression) of the total ("") and of each part."""
        if not self.value:
            return []
        return [(TOTAL, self.value)] + [(p.key, p.expression) for p in self.parts]


def _cell(term: str) -> tuple[str, str]:
    code, _sep, option = term.partition("|")
    return code.strip(), option.strip()


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[str, tuple[NationalIndicator, ...]]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    out = []
    for item in data.get("indicators") or []:
        parts = tuple(Part(*(list(p) + ["", "", "", ""])[:4]) for p in item.get("parts") or [])
        out.append(
            NationalIndicator(
                code=str(item["code"]),
                name=item.get("name", ""),
                name_en=item.get("name_en", ""),
                unit=str(item.get("unit", "")),
                periodicity=item.get("periodicity", ""),
                definition=item.get("definition", ""),
                definition_en=item.get("definition_en", ""),
                official_breakdowns=item.get("official_breakdowns", ""),
                source=item.get("source", ""),
                computation=item.get("computation", ""),
                computation_en=item.get("computation_en", ""),
                count=str(item.get("count") or ""),
                value=str(item.get("value") or ""),
                parts=parts,
                computed=bool(item.get("computed", True)),
                reason=item.get("reason", ""),
                reason_en=item.get("reason_en", ""),
            )
        )
    return str(data.get("regime", "")), tuple(out)


def definitions(path: Path = DEFINITIONS) -> tuple[NationalIndicator, ...]:
    """The indicators of the definitions file (re-read when the file changes)."""
    return _load(str(path), path.stat().st_mtime)[1]


def check(regime, path: Path = DEFINITIONS) -> list[str]:
    """Every problem of the definitions file against `regime` (empty: usable)."""
    regime_code, items = _load(str(path), path.stat().st_mtime)
    errors = []
    if regime_code and regime_code != regime.code:
        return errors  # written for another regime: not checked against this one
    known = {
        i.code: set(i.columns)
        for i in Indicator.objects.filter(regime=regime).select_related("section")
    }
    forms = set(regime.forms.values_list("number", flat=True))
    for item in items:
        if item.computed and not (item.count or item.value):
            errors.append(_("Chỉ tiêu %(code)s: thiếu cách tính.") % {"code": item.code})
        if item.count and item.count not in forms:
            errors.append(
                _("Chỉ tiêu %(code)s: không có biểu số %(form)s.")
                % {"code": item.code, "form": item.count}
            )
        for _key, expression in item.expressions():
            for term in terms(expression):
                code, option = _cell(term)
                breakdown = option.partition(".")[0]
                if code not in known or (option and breakdown not in known[code]):
                    errors.append(
                        _("Chỉ tiêu %(code)s: ô “%(term)s” không có trong chế độ.")
                        % {"code": item.code, "term": term}
                    )
    return errors


def expressions_of(item: NationalIndicator) -> list[tuple[str, str]]:
    """(option key, expression) of the figures of one indicator: the total only for a count
    of organizations."""
    return [(TOTAL, "")] if item.count else item.expressions()


def cells_of(expression: str) -> list[tuple[str, str]]:
    """The (indicator code, option key) cells an expression sums."""
    return [_cell(term) for term in terms(expression)]
