"""Report templates as data: YAML files in `templates_data/`, one per template.

A template names its sections in order; each section has a narrative placeholder (the hint
an editor sees in the empty text box) and blocks bound to named indicators of the registry
(`sti.analytics.indicators`) over a period relative to the report's:

    key: tong-quan-hang-nam
    title: Tổng quan KH&CN hàng năm
    title_en: Annual S&T overview
    years: 1                      # default length of the period, in years
    sections:
      - key: "1"
        title: Tổ chức và nhân lực KH&CN
        narrative: Nêu số tổ chức, nhân lực, so sánh với năm trước …
        blocks:
          - {kind: figure, indicator: orgs.total, period: last_year}
          - {kind: table, indicators: [tasks.by_level], period: each_year, caption: …}
          - {kind: chart, indicator: ip.grants, period: each_year, caption: …}
    checks:                       # figures that must agree before the report is built
      - {key: tasks, kind: pair, indicators: [tasks.total, stats.tasks], label: …}
      - {key: grants, kind: breakdown, indicator: ip.grants, label: …}

Deployments add their own templates in the folders named by `STI_REPORT_TEMPLATE_DIRS`.
Periods: `report` (the whole period as one figure), `each_year` (one column or point per
year), `last_year`. Templates are validated when loaded and by `sti check` (an unknown
indicator code, kind or period is an error naming the file and the block).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

FOLDER = Path(__file__).parent / "templates_data"
BLOCK_KINDS = ("figure", "table", "chart")
PERIODS = ("report", "each_year", "last_year")
CHECK_KINDS = ("pair", "breakdown")
CHART_STYLES = ("line", "bar")


class TemplateError(ValueError):
    """A report template that cannot be used (the message names the file and the place)."""


@dataclass(frozen=True)
class BlockDef:
    kind: str
    indicators: tuple[str, ...]
    period: str = "report"
    caption: str = ""
    caption_en: str = ""
    chart: str = "line"  # charts: line (a yearly series) or bar (the breakdown of one period)


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    title_en: str = ""
    narrative: str = ""  # the placeholder shown in the editor's empty text box
    blocks: tuple[BlockDef, ...] = ()


@dataclass(frozen=True)
class CheckDef:
    key: str
    kind: str
    indicators: tuple[str, ...]
    label: str
    label_en: str = ""
    period: str = "each_year"
    tolerance: float = 0.0  # relative difference allowed (0.02 = 2%)


@dataclass(frozen=True)
class TemplateDef:
    key: str
    title: str
    title_en: str
    years: int
    sections: tuple[SectionDef, ...]
    checks: tuple[CheckDef, ...] = ()
    subtitle: str = ""

    def section(self, key: str) -> SectionDef | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def indicator_codes(self) -> set[str]:
        codes = {c for s in self.sections for b in s.blocks for c in b.indicators}
        return codes | {c for check in self.checks for c in check.indicators}


def _text(value) -> str:
    return unicodedata.normalize("NFC", str(value or "").strip())


def _codes(raw: dict, where: str) -> tuple[str, ...]:
    codes = raw.get("indicators") or ([raw["indicator"]] if raw.get("indicator") else [])
    if not codes or not all(isinstance(c, str) and c for c in codes):
        raise TemplateError(f"{where}: needs 'indicator' or a list of 'indicators'")
    return tuple(codes)


def _choice(raw: dict, name: str, allowed: tuple[str, ...], default: str, where: str) -> str:
    value = raw.get(name, default)
    if value not in allowed:
        raise TemplateError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    return value


BLOCK_KEYS = {"kind", "indicator", "indicators", "period", "caption", "caption_en", "chart"}
SECTION_KEYS = {"key", "title", "title_en", "narrative", "blocks"}
CHECK_KEYS = {"key", "kind", "indicator", "indicators", "label", "label_en", "period", "tolerance"}


def _known_keys(raw: dict, allowed: set[str], where: str) -> None:
    """A key the format does not know is a mistake (a misspelling, or an unquoted comma in a
    flow mapping splitting a caption in two)."""
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        raise TemplateError(f"{where}: unknown keys {', '.join(unknown)} (quote text with commas)")


def _block(raw, where: str) -> BlockDef:
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: a block is a mapping")
    _known_keys(raw, BLOCK_KEYS, where)
    kind = _choice(raw, "kind", BLOCK_KINDS, "", where)
    block = BlockDef(
        kind=kind,
        indicators=_codes(raw, where),
        period=_choice(raw, "period", PERIODS, "report", where),
        caption=_text(raw.get("caption")),
        caption_en=_text(raw.get("caption_en")),
        chart=_choice(raw, "chart", CHART_STYLES, "line", where),
    )
    if kind in ("figure", "chart") and len(block.indicators) != 1:
        raise TemplateError(f"{where}: a {kind} shows one indicator")
    if kind == "chart" and block.chart == "line" and block.period != "each_year":
        raise TemplateError(f"{where}: a line chart needs period each_year")
    return block


def _tolerance(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise TemplateError(f"{where}: tolerance is a fraction from 0 to 1 (0.02 = 2%)")
    return float(value)


def _check(raw, where: str) -> CheckDef:
    if not isinstance(raw, dict) or not raw.get("key"):
        raise TemplateError(f"{where}: a check is a mapping with a key")
    _known_keys(raw, CHECK_KEYS, where)
    kind = _choice(raw, "kind", CHECK_KINDS, "", where)
    check = CheckDef(
        key=str(raw["key"]),
        kind=kind,
        indicators=_codes(raw, where),
        label=_text(raw.get("label")) or str(raw["key"]),
        label_en=_text(raw.get("label_en")),
        period=_choice(raw, "period", PERIODS, "each_year", where),
        tolerance=_tolerance(raw.get("tolerance", 0), where),
    )
    if kind == "pair" and len(check.indicators) != 2:
        raise TemplateError(f"{where}: a pair check compares two indicators")
    if kind == "breakdown" and len(check.indicators) != 1:
        raise TemplateError(f"{where}: a breakdown check reads one indicator")
    return check


def parse(text: str, name: str) -> TemplateDef:
    """One template from its YAML text (`name` says where, in errors)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TemplateError(f"{name}: not YAML ({error})") from error
    if not isinstance(raw, dict) or not raw.get("key") or not raw.get("sections"):
        raise TemplateError(f"{name}: needs a key and sections")
    sections, seen = [], set()
    for s_index, section in enumerate(raw["sections"], start=1):
        where = f"{name}, section {s_index}"
        if not isinstance(section, dict) or not section.get("key") or not section.get("title"):
            raise TemplateError(f"{where}: needs a key and a title")
        _known_keys(section, SECTION_KEYS, where)
        key = str(section["key"])
        if key in seen:
            raise TemplateError(f"{where}: section key {key!r} used twice")
        seen.add(key)
        blocks = tuple(
            _block(block, f"{where} ({key}), block {b_index}")
            for b_index, block in enumerate(section.get("blocks") or [], start=1)
        )
        sections.append(
            SectionDef(
                key=key,
                title=_text(section["title"]),
                title_en=_text(section.get("title_en")),
                narrative=_text(section.get("narrative")),
                blocks=blocks,
            )
        )
    checks = tuple(
        _check(check, f"{name}, check {index}")
        for index, check in enumerate(raw.get("checks") or [], start=1)
    )
    if len({c.key for c in checks}) != len(checks):
        raise TemplateError(f"{name}: two checks share a key")
    years = raw.get("years", 1)
    if not isinstance(years, int) or not 1 <= years <= 20:
        raise TemplateError(f"{name}: years must be a whole number from 1 to 20")
    return TemplateDef(
        key=str(raw["key"]),
        title=_text(raw.get("title")) or str(raw["key"]),
        title_en=_text(raw.get("title_en")),
        subtitle=_text(raw.get("subtitle")),
        years=years,
        sections=tuple(sections),
        checks=checks,
    )


def unknown_indicators(template: TemplateDef) -> list[str]:
    """The indicator codes the template names that the registry does not hold."""
    from sti.analytics.indicators import all_indicators

    known = {indicator.code for indicator in all_indicators()}
    return sorted(template.indicator_codes - known)


@functools.cache
def _load(folder: Path) -> dict[str, TemplateDef]:
    found: dict[str, TemplateDef] = {}
    for path in sorted(folder.glob("*.yaml")):
        template = parse(path.read_text(encoding="utf-8"), path.name)
        if template.key in found:
            raise TemplateError(f"{path.name}: template key {template.key!r} used twice")
        found[template.key] = template
    return found


def folders() -> list[Path]:
    """The shipped templates, then the folders of `STI_REPORT_TEMPLATE_DIRS` (a deployment's
    own templates, as data)."""
    return [FOLDER, *(Path(p) for p in getattr(settings, "STI_REPORT_TEMPLATE_DIRS", ()))]


def templates() -> dict[str, TemplateDef]:
    """Every template by key: the shipped ones first, each folder in file-name order."""
    merged: dict[str, TemplateDef] = {}
    for folder in folders():
        for key, template in _load(folder).items():
            if key in merged:
                raise TemplateError(f"{folder}: template key {key!r} used twice")
            merged[key] = template
    return merged


def get_template(key: str) -> TemplateDef | None:
    return templates().get(key)


def problems() -> list[str]:
    """What is wrong with the templates: syntax, shape, unknown indicator codes."""
    try:
        found = templates()
    except TemplateError as error:
        return [str(error)]
    out = []
    for template in found.values():
        for code in unknown_indicators(template):
            out.append(f"{template.key}: unknown indicator code {code!r}")
    return out
