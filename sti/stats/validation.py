"""The one validation of a form's values: the same for the online form, the Excel upload and
the API. Each rule is evaluated on the canonical values (`layout.parse`); an issue names the
cell it points at, so the page marks that cell and the workbook check names its address.

Empty cells count as 0 in sums; a comparison whose cells are all empty is skipped (the
"required" rules say what must be filled). A cross-form rule reads the other form's values of
the same organization and period (its draft, or the last submitted version); a year-on-year
rule reads the previous period's last submitted version. Both are skipped when there is
nothing to compare with.
"""

from __future__ import annotations

import operator as op
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sti.stats.choices import RuleKind, RuleLevel, ValueKind
from sti.stats.layout import FormLayout, format_number
from sti.stats.models import Indicator, Submission, ValidationRule, split_key
from sti.stats.regimes import terms

OPERATORS = {
    "==": op.eq,
    "!=": op.ne,
    "<=": op.le,
    ">=": op.ge,
    "<": op.lt,
    ">": op.gt,
}


@dataclass(frozen=True)
class Issue:
    key: str  # the cell pointed at
    level: str  # RuleLevel
    message: str
    rule: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == RuleLevel.ERROR


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _number(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


class Context:
    """Where a form's values sit: the organization and period (for cross-form and
    year-on-year rules). Without a submission those rules are skipped."""

    def __init__(self, submission: Submission | None = None):
        self.submission = submission
        self._other: dict[str, dict] | None = None
        self._previous: dict | None = None

    def other_values(self) -> dict[str, str]:
        """Values of the organization's other forms in the same period, by cell key."""
        if self._other is None:
            self._other = {}
            if self.submission is not None:
                others = Submission.objects.filter(
                    period_id=self.submission.period_id,
                    organization_id=self.submission.organization_id,
                ).exclude(pk=self.submission.pk)
                for other in others.prefetch_related("versions"):
                    values = other.values
                    if not other.is_editable or not values:
                        latest = next(iter(other.versions.all()), None)  # ordered by -number
                        values = latest.values if latest is not None else values
                    self._other.update(values or {})
        return self._other

    def previous_values(self) -> dict[str, str]:
        if self._previous is None:
            self._previous = {}
            if self.submission is not None:
                previous = (
                    Submission.objects.filter(
                        organization_id=self.submission.organization_id,
                        period__year=self.submission.period.year - 1,
                        form__number=self.submission.form.number,
                    )
                    .prefetch_related("versions")
                    .first()
                )
                latest = next(iter(previous.versions.all()), None) if previous else None
                self._previous = dict(latest.values) if latest is not None else {}
        return self._previous


def _label(layout: FormLayout, key: str, others: dict[str, Indicator] | None = None) -> str:
    cell = layout.cells.get(key)
    if cell is not None:
        return cell.label
    code, _option = split_key(key)
    indicator = layout.indicators.get(code) or (others or {}).get(code)
    return indicator.label if indicator is not None else key


def validate(
    layout: FormLayout,
    values: dict[str, str],
    context: Context | None = None,
    rules: list[ValidationRule] | None = None,
) -> list[Issue]:
    """Every issue of `values` (canonical) under the form's rules, in rule order."""
    context = context or Context()
    rules = list(layout.form.rules.all()) if rules is None else rules
    issues: list[Issue] = []
    for rule in rules:
        issues.extend(_check(rule, layout, values, context))
    return issues


def _format(rule: ValidationRule, **params) -> str:
    return rule.text.format_map(_Safe({k: str(v) for k, v in params.items()}))


def _indicators(layout: FormLayout, rule: ValidationRule) -> list[Indicator]:
    codes = rule.left.split()
    if "*" in codes:
        return list(layout.indicators.values())
    return [layout.indicators[c] for c in codes if c in layout.indicators]


def _check(rule, layout: FormLayout, values, context: Context) -> list[Issue]:
    if rule.kind == RuleKind.REQUIRED:
        out = []
        for indicator in _indicators(layout, rule):
            keys = [k for k, c in layout.cells.items() if c.indicator is indicator]
            if keys and not any(values.get(k, "") != "" for k in keys):
                out.append(
                    Issue(keys[0], rule.level, _format(rule, indicator=indicator.label), rule.code)
                )
        return out
    if rule.kind == RuleKind.NON_NEGATIVE:
        out = []
        for indicator in _indicators(layout, rule):
            if indicator.kind == ValueKind.TEXT:
                continue
            for key, cell in layout.cells.items():
                if cell.indicator is indicator and values.get(key) and _number(values[key]) < 0:
                    message = _format(rule, indicator=cell.label, value=values[key])
                    out.append(Issue(key, rule.level, message, rule.code))
        return out
    left_keys = [k for t in terms(rule.left) for k in layout.expand(t)]
    right_keys = [k for t in terms(rule.right) for k in layout.expand(t)]
    pointed = next((k for k in left_keys if k in layout.cells), left_keys[0] if left_keys else "")
    label = _label(layout, pointed)
    if rule.kind == RuleKind.YEAR_CHANGE:
        if not any(values.get(k) for k in left_keys):
            return []
        previous_values = context.previous_values()
        if not any(previous_values.get(k) for k in left_keys):
            return []
        now = sum((_number(values.get(k)) for k in left_keys), Decimal(0))
        before = sum((_number(previous_values.get(k)) for k in left_keys), Decimal(0))
        if before == 0:
            return []
        change = (now - before) / before * 100
        if abs(change) <= (rule.threshold or 0):
            return []
        message = _format(
            rule,
            indicator=label,
            left=format_number(now),
            previous=format_number(before),
            change=f"{change:+.1f}",
        )
        return [Issue(pointed, rule.level, message, rule.code)]
    # COMPARE and CROSS_FORM: left operator right
    pool = dict(values)
    if rule.kind == RuleKind.CROSS_FORM:
        other = context.other_values()
        foreign = [k for k in left_keys + right_keys if k not in layout.cells]
        if not any(other.get(k) for k in foreign):
            return []  # the other form has not been filled: nothing to compare yet
        pool.update({k: other.get(k, "") for k in foreign})
    if not any(pool.get(k) for k in left_keys + right_keys):
        return []
    left = sum((_number(pool.get(k)) for k in left_keys), Decimal(0))
    right = sum((_number(pool.get(k)) for k in right_keys), Decimal(0))
    compare = OPERATORS.get(rule.operator)
    if compare is None or compare(left, right):
        return []
    message = _format(rule, indicator=label, left=format_number(left), right=format_number(right))
    return [Issue(pointed, rule.level, message, rule.code)]


def by_cell(issues: list[Issue]) -> dict[str, list[Issue]]:
    grouped = defaultdict(list)
    for issue in issues:
        grouped[issue.key].append(issue)
    return dict(grouped)


def errors_of(issues: list[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.is_error]
