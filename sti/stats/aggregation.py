"""Aggregation of the accepted submissions of a period: the stable read API and the rebuild.

Aggregates are derived data, like DHIS2's analytics tables: `rebuild(period)` (run by the
worker after a submission is accepted, returned or reopened) sums every numeric cell of the
latest version of each *accepted* submission over organizations, for all of them and for
each group of each breakdown in `BREAKDOWNS`, computes the national indicators 1401–1407
(`sti.stats.indicators`) and replaces the period's current rows in `AggregateValue` in one
transaction. Readers never compute: they read those rows.

Publication is a separate, editorial step (`publish`): it copies the current rows as the
published copy. Only published rows are ever public; a rebuild after publication changes the
current rows only, until an editor publishes again.

Read API (stable; the public statistics page, the yearbook and the API use it):

    aggregate(period, by=None | "org_type" | "sector" | "field" | "admin_unit"
              | "admin_unit_2025" | "district", *, published=True, indicators=None,
              kind=AggregateKind.CELL) -> list[AggregateRow]
    group_labels(by) -> {group code: label}
    aggregate_set(period) -> AggregateSet | None

An `AggregateRow` is (form, indicator code, option key, by, group, value, organizations):
the option key is "" for an indicator's total cell or "<breakdown>.<option>" ("qual.TS");
`by` is "" with group "" for the sum over every organization. National indicators are rows
of kind NATIONAL whose option is the indicator's own breakdown key ("gender.nu").

How an organization falls into a group (from the directory, at rebuild time):
- org_type: its type (`Organization.kind`); sector: its economic type (`Organization.sector`);
- field: the level-1 S&T field of its main field (the lowest code among its fields);
- admin_unit: the province-level unit before the 2025 merger (Cần Thơ, Hậu Giang, Sóc Trăng);
  district: its pre-2025 district; admin_unit_2025: the province-level unit after the merger,
  reached through the old unit's `merged_into` (the old→new mapping is code-list data,
  sti/core/data/admin_units.json). An organization without the data is in group "_".
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sti.core import audit
from sti.core.choices import AuditAction
from sti.stats import indicators
from sti.stats.choices import AggregateKind, SubmissionStatus
from sti.stats.models import (
    TOTAL,
    AggregateSet,
    AggregateValue,
    BreakdownOption,
    Indicator,
    Period,
    Submission,
    SubmissionValue,
)

ALL = ""  # `by` (and group) of the sum over every organization
UNKNOWN = "_"  # the group of an organization whose directory record lacks the datum
BREAKDOWNS = {
    ALL: gettext_lazy("Tất cả tổ chức"),
    "org_type": gettext_lazy("Loại hình tổ chức"),
    "sector": gettext_lazy("Loại hình kinh tế"),
    "field": gettext_lazy("Lĩnh vực KH&CN"),
    "admin_unit": gettext_lazy("Đơn vị hành chính cấp tỉnh (trước sáp nhập 2025)"),
    "district": gettext_lazy("Quận, huyện (trước sáp nhập 2025)"),
    "admin_unit_2025": gettext_lazy("Đơn vị hành chính cấp tỉnh (sau sáp nhập 2025)"),
}
GROUPINGS = [by for by in BREAKDOWNS if by != ALL]
BATCH = 5000


@dataclass(frozen=True)
class AggregateRow:
    form: str
    indicator: str
    option: str
    by: str
    group: str
    value: Decimal
    organizations: int
    kind: str = AggregateKind.CELL


# ---------------------------------------------------------------------------
# Reading (what every page, export and API endpoint uses)
# ---------------------------------------------------------------------------
def aggregate_set(period: Period) -> AggregateSet | None:
    return AggregateSet.objects.filter(period=period).first()


def aggregate(
    period: Period,
    by: str | None = None,
    *,
    published: bool = True,
    indicators: Iterable[str] | None = None,
    kind: str = AggregateKind.CELL,
    all_groupings: bool = False,
) -> list[AggregateRow]:
    """The stored aggregates of `period` cut `by` one breakdown (None or "": over every
    organization; `all_groupings`: every cut at once). `published` (the default) reads the
    published copy, the only one that may be shown to the public; editors read the current
    build with `published=False`."""
    by = by or ALL
    if by not in BREAKDOWNS:
        raise ValueError(_("Không có cách phân tổ “%(by)s”.") % {"by": by})
    rows = AggregateValue.objects.filter(period=period, published=published, kind=kind)
    if not all_groupings:
        rows = rows.filter(by=by)
    if indicators is not None:
        rows = rows.filter(indicator__in=list(indicators))
    fields = ("form", "indicator", "option", "by", "group", "value", "organizations", "kind")
    return [
        AggregateRow(*values)
        for values in rows.order_by("indicator", "option", "by", "group").values_list(*fields)
    ]


def as_table(rows: Iterable[AggregateRow]) -> dict[tuple[str, str, str, str], AggregateRow]:
    """{(indicator, option, by, group): row} for lookups while laying out a report."""
    return {(r.indicator, r.option, r.by, r.group): r for r in rows}


def group_labels(by: str) -> dict[str, str]:
    """{group code: label in the current language} of one breakdown."""
    from sti.core.models import AdminUnit, FieldOfScience
    from sti.directory.choices import EconomicSector, OrganizationKind

    labels: dict[str, str] = {UNKNOWN: _("Chưa xác định")}
    if by == ALL:
        labels[ALL] = _("Tổng số")
    elif by == "org_type":
        labels.update({k: str(v) for k, v in OrganizationKind.choices})
    elif by == "sector":
        labels.update({k: str(v) for k, v in EconomicSector.choices})
    elif by == "field":
        for field in FieldOfScience.objects.filter(level=1).order_by("-version__is_current"):
            labels.setdefault(field.code, field.display)
    elif by in ("admin_unit", "district"):
        units = AdminUnit.objects.filter(version__is_current=False)
        labels.update({u.code: u.name for u in units})
    elif by == "admin_unit_2025":
        labels.update({u.code: u.name for u in AdminUnit.objects.filter(version__is_current=True)})
    return labels


# ---------------------------------------------------------------------------
# Which group an organization falls into
# ---------------------------------------------------------------------------
def organization_groups(org_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """{organization id: {by: group}} for every breakdown in GROUPINGS (four queries)."""
    from sti.core.models import AdminUnit, FieldOfScience
    from sti.directory.models import Organization

    ids = list(org_ids)
    units = {
        u["pk"]: u
        for u in AdminUnit.objects.values(
            "pk", "code", "parent_id", "merged_into_id", "version__is_current"
        )
    }
    fields = {f["pk"]: f for f in FieldOfScience.objects.values("pk", "code", "parent_id")}

    def top(unit):
        seen = 0
        while unit and unit["parent_id"] and seen < 10:  # a province-level unit has no parent
            unit, seen = units.get(unit["parent_id"]), seen + 1
        return unit

    def after_merger(unit):
        while unit and not unit["version__is_current"]:
            target = units.get(unit["merged_into_id"]) if unit["merged_into_id"] else None
            unit = target or (units.get(unit["parent_id"]) if unit["parent_id"] else None)
        return top(unit)

    def level1(field):
        seen = 0
        while field and field["parent_id"] and seen < 10:
            field, seen = fields.get(field["parent_id"]), seen + 1
        return field

    main_field: dict[int, dict] = {}
    through = Organization.fields.through
    for org_id, field_id in through.objects.filter(organization_id__in=ids).values_list(
        "organization_id", "fieldofscience_id"
    ):
        field = fields.get(field_id)
        if field and (org_id not in main_field or field["code"] < main_field[org_id]["code"]):
            main_field[org_id] = field
    out = {}
    for org_id, kind, sector, unit_id in Organization.objects.filter(pk__in=ids).values_list(
        "pk", "kind", "sector", "admin_unit_id"
    ):
        unit = units.get(unit_id)
        old = unit if unit and not unit["version__is_current"] else None
        province_before, province_after = top(old), after_merger(unit)
        field = level1(main_field.get(org_id))
        out[org_id] = {
            "org_type": kind or UNKNOWN,
            "sector": sector or UNKNOWN,
            "field": field["code"] if field else UNKNOWN,
            "admin_unit": province_before["code"] if province_before else UNKNOWN,
            "district": old["code"] if old and old["parent_id"] else UNKNOWN,
            "admin_unit_2025": province_after["code"] if province_after else UNKNOWN,
        }
    return out


# ---------------------------------------------------------------------------
# Computing (the worker's side)
# ---------------------------------------------------------------------------
def accepted_versions(period: Period) -> dict[int, tuple[int, str]]:
    """{latest version id: (organization id, form number)} of the accepted submissions."""
    rows = (
        Submission.objects.filter(period=period, status=SubmissionStatus.ACCEPTED)
        .annotate(latest=Max("versions__pk"))
        .values_list("latest", "organization_id", "form__number")
    )
    return {latest: (org, form) for latest, org, form in rows if latest is not None}


def _sum_by_groups(rows, groups: dict[int, dict[str, str]]):
    """{(key, by, group): [sum, organizations]} of rows (organization id, key, value): each
    organization holds one value per key, so the count of rows is the count of organizations."""
    totals: dict = {}
    for by in (ALL, *GROUPINGS):
        of = {org: (by, g[by]) if by else (ALL, ALL) for org, g in groups.items()}
        for org, key, value in rows:
            slot = (key, *of[org])
            cell = totals.get(slot)
            if cell is None:
                totals[slot] = [value, 1]
            else:
                cell[0] += value
                cell[1] += 1
    return totals


def compute(period: Period) -> tuple[list[AggregateRow], dict]:
    """Every aggregate of `period` from the accepted submissions (reads only), and counts."""
    versions = accepted_versions(period)
    indicator_codes = dict(Indicator.objects.filter(regime=period.regime).values_list("pk", "code"))
    option_keys = {
        pk: f"{brk}.{code}"
        for pk, brk, code in BreakdownOption.objects.filter(
            breakdown__regime=period.regime
        ).values_list("pk", "breakdown__code", "code")
    }
    forms_of = dict(
        Indicator.objects.filter(regime=period.regime).values_list("code", "section__form__number")
    )
    keys: dict = {}
    rows = []
    cells = SubmissionValue.objects.filter(
        version_id__in=list(versions), number__isnull=False
    ).values_list("version_id", "indicator_id", "option_id", "number")
    for version_id, indicator_id, option_id, number in cells.iterator(chunk_size=BATCH):
        ident = (indicator_id, option_id)
        key = keys.get(ident)
        if key is None:
            code = indicator_codes[indicator_id]
            key = keys[ident] = (forms_of.get(code, ""), code, option_keys.get(option_id, ""))
        rows.append((versions[version_id][0], key, number))
    organizations = {org for org, _form in versions.values()}
    groups = organization_groups(organizations)
    out = [
        AggregateRow(form, code, option, by, group, value, count)
        for ((form, code, option), by, group), (value, count) in _sum_by_groups(
            rows, groups
        ).items()
    ]
    filed = defaultdict(set)  # form number → organizations whose form was accepted
    for org, form in versions.values():
        filed[form].add(org)
    national_rows = indicators.organization_values(indicators.definitions(), rows, filed)
    for ((code, option), by, group), (value, count) in _sum_by_groups(
        national_rows, groups
    ).items():
        out.append(AggregateRow("", code, option, by, group, value, count, AggregateKind.NATIONAL))
    counts = {"organizations": len(organizations), "submissions": len(versions)}
    return out, counts


@transaction.atomic
def rebuild(period: Period) -> AggregateSet:
    """Replace the current (unpublished) aggregates of `period` with a fresh computation.
    Worker-side: callers checked access. The published copy is left as it is."""
    started = time.perf_counter()
    rows, counts = compute(period)
    AggregateValue.objects.filter(period=period, published=False).delete()
    AggregateValue.objects.bulk_create(
        (
            AggregateValue(
                period=period,
                published=False,
                kind=r.kind,
                form=r.form,
                indicator=r.indicator,
                option=r.option,
                by=r.by,
                group=r.group,
                value=r.value,
                organizations=r.organizations,
            )
            for r in rows
        ),
        batch_size=BATCH,
    )
    built, _created = AggregateSet.objects.select_for_update().get_or_create(period=period)
    built.built_at = timezone.now()
    built.organizations = counts["organizations"]
    built.submissions = counts["submissions"]
    built.build_seconds = round(time.perf_counter() - started, 3)
    built.save()
    return built


# ---------------------------------------------------------------------------
# Publication (an editor's step)
# ---------------------------------------------------------------------------
def _editor(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_editor:
        raise PermissionDenied(_("Chỉ biên tập viên được công bố số liệu tổng hợp."))


@transaction.atomic
def publish(actor, period: Period) -> AggregateSet:
    """Publish the current aggregates of `period`: they become the copy the public reads
    (replacing an earlier published copy)."""
    _editor(actor)
    built = AggregateSet.objects.select_for_update().filter(period=period).first()
    if built is None or built.built_at is None:
        raise ValidationError(
            _("Kỳ %(year)s chưa có số liệu tổng hợp: chưa có báo cáo nào được chấp nhận.")
            % {"year": period.year}
        )
    AggregateValue.objects.filter(period=period, published=True).delete()
    current = AggregateValue.objects.filter(period=period, published=False).values(
        "kind", "form", "indicator", "option", "by", "group", "value", "organizations"
    )
    AggregateValue.objects.bulk_create(
        (AggregateValue(period=period, published=True, **row) for row in current.iterator()),
        batch_size=BATCH,
    )
    was = built.published_at
    built.published_at = timezone.now()
    built.published_by = actor
    built.published_built_at = built.built_at
    built.save(update_fields=["published_at", "published_by", "published_built_at"])
    audit.record(
        actor,
        AuditAction.TRANSITION,
        built,
        {"published_at": [str(was or ""), str(built.published_at)]},
        note=_("Công bố số liệu tổng hợp"),
    )
    return built


@transaction.atomic
def unpublish(actor, period: Period) -> AggregateSet:
    """Withdraw the published copy of `period`: nothing of it is public any more."""
    _editor(actor)
    built = AggregateSet.objects.select_for_update().filter(period=period).first()
    if built is None or not built.is_published:
        raise ValidationError(_("Số liệu tổng hợp của kỳ này chưa được công bố."))
    AggregateValue.objects.filter(period=period, published=True).delete()
    was = built.published_at
    built.published_at = None
    built.published_by = None
    built.published_built_at = None
    built.save(update_fields=["published_at", "published_by", "published_built_at"])
    audit.record(
        actor,
        AuditAction.TRANSITION,
        built,
        {"published_at": [str(was), ""]},
        note=_("Thu hồi công bố số liệu tổng hợp"),
    )
    return built


# ---------------------------------------------------------------------------
# National indicators, read back with their definitions
# ---------------------------------------------------------------------------
@dataclass
class IndicatorResult:
    """One indicator of one period for a page: its definition, total and parts per group."""

    indicator: indicators.NationalIndicator
    total: Decimal | None = None
    organizations: int = 0
    parts: list[tuple[indicators.Part, Decimal | None]] = dataclasses.field(default_factory=list)
    groups: list[tuple[str, str, Decimal]] = dataclasses.field(
        default_factory=list
    )  # (code, label, value)


def national_indicators(
    period: Period, *, published: bool = True, by: str = ""
) -> list[IndicatorResult]:
    """Every national indicator of `period` with its stored values (the published copy by
    default), its parts, and its totals per group of `by` (when given)."""
    rows = aggregate(
        period, published=published, kind=AggregateKind.NATIONAL, all_groupings=bool(by)
    )
    table = as_table(rows)
    labels = group_labels(by) if by else {}
    out = []
    for item in indicators.definitions():
        total = table.get((item.code, TOTAL, "", ""))
        result = IndicatorResult(
            item,
            total.value if total else None,
            total.organizations if total else 0,
            [
                (p, getattr(table.get((item.code, p.key, "", "")), "value", None))
                for p in item.parts
            ],
        )
        if by:
            result.groups = sorted(
                (
                    (r.group, labels.get(r.group, r.group), r.value)
                    for r in rows
                    if r.indicator == item.code and r.option == TOTAL and r.by == by
                ),
                key=lambda g: g[0],
            )
        out.append(result)
    return out


def published_periods():
    """The periods whose aggregates are public, newest first."""
    return Period.objects.filter(aggregate_set__published_at__isnull=False).order_by("-year")
