"""Regimes as files: load a regime from YAML (or JSON) into the form tables, and dump it back.

Loading is idempotent (update or create by code) and all-or-nothing: the file is checked
first (every breakdown a section names exists, every cell a rule names exists in the regime)
and nothing is written when it is wrong. Indicators, sections and rules no longer in the file
are removed, unless submitted values still point at them (those stay, and are reported).
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.choices import AuditAction
from sti.core.text import normalize
from sti.stats.choices import RuleKind, RuleLevel, ValueKind
from sti.stats.models import (
    Breakdown,
    BreakdownOption,
    Indicator,
    Regime,
    ReportForm,
    Section,
    ValidationRule,
)

OPERATORS = ("==", "<=", ">=", "<", ">", "!=")
_TERM = re.compile(r"^([0-9A-Za-z._-]+)(?:\|([A-Za-z0-9_-]+)\.([A-Za-z0-9_*-]+))?$")


class RegimeError(ValueError):
    """The file cannot be loaded; `errors` lists every problem found."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def parse_text(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RegimeError([_("Tệp YAML không hợp lệ: %(error)s") % {"error": error}]) from error
    if not isinstance(data, dict):
        raise RegimeError([_("Tệp phải là một bảng (mapping) mô tả chế độ báo cáo.")])
    return data


def terms(expression: str) -> list[str]:
    """The cell terms of a side: "a + b|brk.opt + c|brk.*"."""
    return [part.strip() for part in str(expression or "").split("+") if part.strip()]


def _s(value) -> str:
    return normalize(str(value)).strip() if value is not None else ""


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _indicator_spec(item, section: dict) -> dict:
    if isinstance(item, list | tuple):
        keys = ["code", "name", "name_en", "kind", "unit"]
        item = dict(zip(keys, item, strict=False))
    return {
        "code": _s(item.get("code")),
        "name": _s(item.get("name")),
        "name_en": _s(item.get("name_en")),
        "kind": _s(item.get("kind")) or ValueKind.INTEGER,
        "unit": _s(item.get("unit")),
        "indent": int(item.get("indent") or 0),
        "breakdowns": item.get("breakdowns"),
    }


def _rule_specs(form_spec: dict) -> list[dict]:
    """The form's rules, `for_each` expanded into one rule per indicator ("{i}")."""
    out = []
    for order, rule in enumerate(form_spec.get("rules") or []):
        each = rule.get("for_each")
        targets = [_s(code) for code in each] if each else [None]
        for target in targets:

            def fill(value, target=target):
                text = _s(value)
                return text.replace("{i}", target) if target else text

            out.append(
                {
                    "code": _s(rule.get("code")) + (f".{target}" if target else ""),
                    "kind": _s(rule.get("kind")),
                    "left": fill(rule.get("left")),
                    "operator": _s(rule.get("operator")),
                    "right": fill(rule.get("right")),
                    "threshold": rule.get("threshold"),
                    "level": _s(rule.get("level")) or RuleLevel.ERROR,
                    "message": _s(rule.get("message")),
                    "message_en": _s(rule.get("message_en")),
                    "order": order,
                }
            )
    return out


def check(data: dict) -> list[str]:
    """Every problem of a regime file (an empty list: it can be loaded)."""
    errors = []
    for key in ("code", "name", "legal_basis", "valid_from"):
        if not data.get(key):
            errors.append(_("Thiếu trường “%(key)s”.") % {"key": key})
    options = {}
    for breakdown in data.get("breakdowns") or []:
        code = _s(breakdown.get("code"))
        options[code] = {_s(option[0]) for option in breakdown.get("options") or []}
        if not options[code]:
            errors.append(_("Phân tổ “%(code)s” không có giá trị nào.") % {"code": code})
    indicators: dict[str, list[str]] = {}
    for form in data.get("forms") or []:
        for section in form.get("sections") or []:
            section_breakdowns = section.get("breakdowns") or []
            for item in section.get("indicators") or []:
                spec = _indicator_spec(item, section)
                if not spec["code"] or not spec["name"]:
                    errors.append(
                        _("Biểu %(form)s: chỉ tiêu thiếu mã hoặc tên.") % {"form": form.get("code")}
                    )
                    continue
                if spec["code"] in indicators:
                    errors.append(_("Mã chỉ tiêu “%(code)s” bị trùng.") % {"code": spec["code"]})
                if spec["kind"] not in ValueKind.values:
                    errors.append(_("Chỉ tiêu %(code)s: kiểu “%(kind)s” không hợp lệ.") % spec)
                columns = section_breakdowns if spec["breakdowns"] is None else spec["breakdowns"]
                for code in columns:
                    if code not in options:
                        errors.append(
                            _("Chỉ tiêu %(code)s: phân tổ “%(brk)s” không có trong chế độ.")
                            % {"code": spec["code"], "brk": code}
                        )
                indicators[spec["code"]] = [c for c in columns if c in options]
    for form in data.get("forms") or []:
        for rule in _rule_specs(form):
            where = f"{form.get('code')} {rule['code']}"
            if rule["kind"] not in RuleKind.values:
                errors.append(
                    _("Quy tắc %(rule)s: loại “%(kind)s” không hợp lệ.")
                    % {"rule": where, "kind": rule["kind"]}
                )
                continue
            if rule["level"] not in RuleLevel.values:
                errors.append(
                    _("Quy tắc %(rule)s: mức “%(level)s” không hợp lệ.")
                    % {"rule": where, "level": rule["level"]}
                )
            if not rule["message"]:
                errors.append(_("Quy tắc %(rule)s: thiếu thông báo tiếng Việt.") % {"rule": where})
            if rule["kind"] in (RuleKind.REQUIRED, RuleKind.NON_NEGATIVE):
                codes = rule["left"].split()
                bad = [c for c in codes if c != "*" and c not in indicators]
            else:
                if rule["kind"] != RuleKind.YEAR_CHANGE and rule["operator"] not in OPERATORS:
                    errors.append(
                        _("Quy tắc %(rule)s: phép so sánh “%(op)s” không hợp lệ.")
                        % {"rule": where, "op": rule["operator"]}
                    )
                bad = []
                for term in terms(rule["left"]) + terms(rule["right"]):
                    match = _TERM.match(term)
                    if not match or match.group(1) not in indicators:
                        bad.append(term)
                        continue
                    brk, opt = match.group(2), match.group(3)
                    if brk and (
                        brk not in indicators[match.group(1)]
                        or (opt != "*" and opt not in options[brk])
                    ):
                        bad.append(term)
            for term in bad:
                errors.append(
                    _("Quy tắc %(rule)s: ô “%(term)s” không có trong chế độ.")
                    % {"rule": where, "term": term}
                )
    return errors


@transaction.atomic
def load_regime(data: dict, *, actor=None) -> tuple[Regime, list[str]]:
    """Create or update the regime described by `data`; returns it and the notes of rows kept
    because submitted values use them. Raises RegimeError (nothing written) on a bad file."""
    errors = check(data)
    if errors:
        raise RegimeError(errors)
    deadline = data.get("deadline") or {}
    regime, created = Regime.objects.update_or_create(
        code=_s(data["code"]),
        defaults={
            "name": _s(data["name"]),
            "name_en": _s(data.get("name_en")),
            "legal_basis": _s(data["legal_basis"]),
            "valid_from": _date(data["valid_from"]),
            "valid_until": _date(data.get("valid_until")),
            "provenance": _s(data.get("provenance")),
            "deadline_month": int(deadline.get("month", 2)),
            "deadline_day": int(deadline.get("day", 1)),
        },
    )
    for breakdown_spec in data.get("breakdowns") or []:
        breakdown, _created = Breakdown.objects.update_or_create(
            regime=regime,
            code=_s(breakdown_spec["code"]),
            defaults={
                "name": _s(breakdown_spec.get("name")),
                "name_en": _s(breakdown_spec.get("name_en")),
                "codelist": _s(breakdown_spec.get("codelist")),
            },
        )
        for order, option in enumerate(breakdown_spec.get("options") or []):
            code, name, name_en = (list(option) + ["", ""])[:3]
            BreakdownOption.objects.update_or_create(
                breakdown=breakdown,
                code=_s(code),
                defaults={"name": _s(name), "name_en": _s(name_en), "order": order},
            )
    kept_indicators = set()
    kept_rules = set()
    for form_order, form_spec in enumerate(data.get("forms") or []):
        form, _created = ReportForm.objects.update_or_create(
            regime=regime,
            code=_s(form_spec["code"]),
            defaults={
                "number": _s(form_spec.get("number")),
                "name": _s(form_spec.get("name")),
                "name_en": _s(form_spec.get("name_en")),
                "unit": _s(form_spec.get("unit")),
                "provenance": _s(form_spec.get("provenance")),
                "order": form_order,
            },
        )
        for section_order, section_spec in enumerate(form_spec.get("sections") or []):
            section, _created = Section.objects.update_or_create(
                form=form,
                code=_s(section_spec.get("code")),
                defaults={
                    "name": _s(section_spec.get("name")),
                    "name_en": _s(section_spec.get("name_en")),
                    "breakdown_codes": list(section_spec.get("breakdowns") or []),
                    "has_total": bool(section_spec.get("has_total", True)),
                    "order": section_order,
                },
            )
            for order, item in enumerate(section_spec.get("indicators") or []):
                spec = _indicator_spec(item, section_spec)
                indicator, _created = Indicator.objects.update_or_create(
                    regime=regime,
                    code=spec["code"],
                    defaults={
                        "section": section,
                        "name": spec["name"],
                        "name_en": spec["name_en"],
                        "unit": spec["unit"] or _s(form_spec.get("unit")),
                        "kind": spec["kind"],
                        "indent": spec["indent"],
                        "breakdown_codes": spec["breakdowns"],
                        "order": order,
                    },
                )
                kept_indicators.add(indicator.pk)
        for rule in _rule_specs(form_spec):
            threshold = rule.pop("threshold")
            saved, _created = ValidationRule.objects.update_or_create(
                form=form,
                code=rule.pop("code"),
                defaults={**rule, "threshold": threshold},
            )
            kept_rules.add(saved.pk)
    ValidationRule.objects.filter(form__regime=regime).exclude(pk__in=kept_rules).delete()
    notes = []
    for indicator in Indicator.objects.filter(regime=regime).exclude(pk__in=kept_indicators):
        try:
            indicator.delete()
        except ProtectedError:
            notes.append(
                _("Chỉ tiêu %(code)s không còn trong tệp nhưng đã có số liệu nộp: được giữ lại.")
                % {"code": indicator.code}
            )
    audit.record(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        regime,
        {"forms": [f.code for f in regime.forms.all()]},
        note=_("Nạp chế độ báo cáo từ tệp"),
    )
    return regime, notes


def load_file(path, *, actor=None) -> tuple[Regime, list[str]]:
    with open(path, encoding="utf-8") as handle:
        return load_regime(parse_text(handle.read()), actor=actor)


def dump_regime(regime: Regime) -> dict:
    """The regime as the data `load_regime` reads (rules one per row, `for_each` expanded)."""
    data = {
        "code": regime.code,
        "name": regime.name,
        "name_en": regime.name_en,
        "legal_basis": regime.legal_basis,
        "valid_from": regime.valid_from.isoformat(),
        "valid_until": regime.valid_until.isoformat() if regime.valid_until else None,
        "deadline": {"month": regime.deadline_month, "day": regime.deadline_day},
        "provenance": regime.provenance,
        "breakdowns": [
            {
                "code": b.code,
                "name": b.name,
                "name_en": b.name_en,
                "codelist": b.codelist,
                "options": [[o.code, o.name, o.name_en] for o in b.options.all()],
            }
            for b in regime.breakdowns.prefetch_related("options")
        ],
        "forms": [],
    }
    for form in regime.forms.prefetch_related("sections__indicators", "rules"):
        data["forms"].append(
            {
                "code": form.code,
                "number": form.number,
                "name": form.name,
                "name_en": form.name_en,
                "unit": form.unit,
                "provenance": form.provenance,
                "sections": [
                    {
                        "code": s.code,
                        "name": s.name,
                        "name_en": s.name_en,
                        "breakdowns": s.breakdown_codes,
                        "has_total": s.has_total,
                        "indicators": [
                            {
                                "code": i.code,
                                "name": i.name,
                                "name_en": i.name_en,
                                "kind": i.kind,
                                "unit": i.unit,
                                "indent": i.indent,
                                "breakdowns": i.breakdown_codes,
                            }
                            for i in s.indicators.all()
                        ],
                    }
                    for s in form.sections.all()
                ],
                "rules": [
                    {
                        "code": r.code,
                        "kind": r.kind,
                        "left": r.left,
                        "operator": r.operator,
                        "right": r.right,
                        "threshold": float(r.threshold) if r.threshold is not None else None,
                        "level": r.level,
                        "message": r.message,
                        "message_en": r.message_en,
                    }
                    for r in form.rules.all()
                ],
            }
        )
    return data


def dump_text(regime: Regime) -> str:
    return yaml.safe_dump(dump_regime(regime), allow_unicode=True, sort_keys=False, width=100)
