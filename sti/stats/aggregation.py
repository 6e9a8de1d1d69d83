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
              | "admin_unit_2025", *, published=True, indicators=None,
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
  admin_unit_2025: the province-level unit after the merger,
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

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
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
    found = [
        AggregateRow(*values)
        for values in rows.order_by("indicator", "option", "by", "group").values_list(*fields)
    ]
    return suppress_small_groups(found) if published else found


def report_totals(
    year: int,
    codes: Iterable[str],
    *,
    kind: str = AggregateKind.CELL,
    by: str = ALL,
    group: str = ALL,
    published: bool = False,
) -> dict[str, Decimal]:
    """{indicator code: total} from the aggregates of the period of `year`, over every
    organization or over one `group` of a breakdown `by` (e.g. "admin_unit_2025", "92").
    The current build by default: a named report method for editors' figures (sti.analytics),
    not for the public. Codes without a stored total are absent; no period gives {}."""
    return report_totals_by_year([year], codes, kind=kind, by=by, group=group, published=published)[
        year
    ]


def report_totals_by_year(
    years: Iterable[int],
    codes: Iterable[str],
    *,
    kind: str = AggregateKind.CELL,
    by: str = ALL,
    group: str = ALL,
    published: bool = False,
) -> dict[int, dict[str, Decimal]]:
    """`report_totals` for each of `years` in one query: {year: {indicator code: total}}."""
    if by not in BREAKDOWNS:
        raise ValueError(_("Không có cách phân tổ “%(by)s”.") % {"by": by})
    years = list(years)
    rows = AggregateValue.objects.filter(
        period__year__in=years,
        published=published,
        kind=kind,
        by=by,
        group=group if by else ALL,
        option=TOTAL,
        indicator__in=list(codes),
    )
    found: dict[int, dict[str, Decimal]] = {year: {} for year in years}
    for year, code, value in rows.values_list("period__year", "indicator", "value"):
        found[year][code] = value
    return found


def min_public_group() -> int:
    return max(1, int(getattr(settings, "STI_STATS_MIN_PUBLIC_GROUP", 3)))


def suppress_small_groups(rows: list[AggregateRow]) -> list[AggregateRow]:
    """Statistical disclosure control for what the public reads: a figure summed over fewer
    than `STI_STATS_MIN_PUBLIC_GROUP` organizations would be one organization's own report,
    so it is not published (primary suppression). Where a cut loses exactly one group that
    way, the smallest other group of the same cut goes too (secondary suppression), or the
    total minus the others would give the hidden figure back. Editors read everything
    (`published=False`)."""
    threshold = min_public_group()
    if threshold <= 1:
        return rows
    cuts: dict[tuple, list[AggregateRow]] = defaultdict(list)
    for row in rows:
        cuts[(row.kind, row.form, row.indicator, row.option, row.by)].append(row)
    hidden: set[int] = set()
    for (_kind, _form, _indicator, _option, by), members in cuts.items():
        small = [row for row in members if row.organizations < threshold]
        hidden.update(id(row) for row in small)
        if by != ALL and len(small) == 1 and len(members) > 1:
            others = sorted(
                (row for row in members if row.organizations >= threshold),
                key=lambda row: (row.organizations, row.group),
            )
            if others:
                hidden.add(id(others[0]))
    return [row for row in rows if id(row) not in hidden]


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
    elif by == "admin_unit":
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
    from sti.core.models import FieldOfScience
    from sti.core.provinces import unit_provinces
    from sti.directory.models import Organization

    ids = list(org_ids)
    provinces = unit_provinces()
    fields = {f["pk"]: f for f in FieldOfScience.objects.values("pk", "code", "parent_id")}

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
        unit = provinces.get(unit_id)
        field = level1(main_field.get(org_id))
        out[org_id] = {
            "org_type": kind or UNKNOWN,
            "sector": sector or UNKNOWN,
            "field": field["code"] if field else UNKNOWN,
            "admin_unit": (unit.before if unit else "") or UNKNOWN,
            "admin_unit_2025": (unit.after if unit else "") or UNKNOWN,
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


SCALE = 4  # decimal places of a stored value; sums run on integers of 10^-4


def _group_sums(org_ids, org_groups, orgs, keys, values, key_list):
    """Yield (key, by, group, sum, organizations) for every grouping, with numpy's bincount.

    `orgs`, `keys`, `values` are parallel arrays: organization position (in `org_ids`), key
    position (in `key_list`), value in 10^-4 units. An organization holds one value per key,
    so the number of rows in a slot is its number of organizations. Integer sums in float64
    stay exact below 2^53 units (9·10^11 triệu đồng)."""
    if not len(values):
        return
    for by in (ALL, *GROUPINGS):
        if by:
            names = sorted({org_groups[o][by] for o in org_ids})
            where = {name: i for i, name in enumerate(names)}
            of_org = np.asarray([where[org_groups[o][by]] for o in org_ids], dtype=np.int64)
        else:
            names, of_org = [ALL], np.zeros(len(org_ids), dtype=np.int64)
        width = len(names)
        slots = keys * width + of_org[orgs]
        size = len(key_list) * width
        sums = np.bincount(slots, weights=values, minlength=size)
        counts = np.bincount(slots, minlength=size)
        for slot in np.flatnonzero(counts).tolist():
            key, group = divmod(slot, width)
            total = Decimal(int(round(sums[slot]))).scaleb(-SCALE)
            yield key_list[key], by, names[group], total, int(counts[slot])


def _accepted_cells(versions: dict[int, tuple[int, str]]) -> np.ndarray:
    """An array of rows (version id, indicator id, option id or 0, number) of every numeric
    cell of `versions`, read with a plain cursor: no model instances, no decimals."""
    if not versions:
        return np.zeros((0, 4))
    query = (
        SubmissionValue.objects.filter(version_id__in=list(versions), number__isnull=False)
        .values_list("version_id", "indicator_id", "option_id", "number")
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return np.zeros((0, 4))
    array = np.array(rows, dtype=object)
    array[:, 2][array[:, 2] == None] = 0  # noqa: E711 — the total cell has no option
    return array.astype(np.float64)


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
    org_ids = sorted({org for org, _form in versions.values()})
    groups = organization_groups(org_ids)
    position = {org: i for i, org in enumerate(org_ids)}
    cells = _accepted_cells(versions)
    # Rows → organization positions, key positions and values, all as arrays.
    version_ids = np.asarray(sorted(versions), dtype=np.int64)
    version_orgs = np.asarray([position[versions[v][0]] for v in version_ids], dtype=np.int64)
    orgs = version_orgs[np.searchsorted(version_ids, cells[:, 0].astype(np.int64))]
    idents = cells[:, 1].astype(np.int64) * (max(option_keys, default=0) + 1) + cells[:, 2].astype(
        np.int64
    )
    unique, keys = np.unique(idents, return_inverse=True)
    width = max(option_keys, default=0) + 1
    key_list = []
    for ident in unique.tolist():
        indicator_id, option_id = divmod(ident, width)
        code = indicator_codes[indicator_id]
        key_list.append((forms_of.get(code, ""), code, option_keys.get(option_id, "")))
    values = np.round(cells[:, 3] * 10**SCALE)
    out = [
        AggregateRow(form, code, option, by, group, value, count)
        for (form, code, option), by, group, value, count in _group_sums(
            org_ids, groups, orgs, keys.astype(np.int64), values, key_list
        )
    ]
    # National indicators: each expression summed per organization, then grouped alike.
    filed = defaultdict(set)  # form number → organizations whose form was accepted
    for org, form in versions.values():
        filed[form].add(position[org])
    where = {key[1:]: i for i, key in enumerate(key_list)}
    n_orgs = len(org_ids)
    national_orgs, national_keys, national_values, national_list = [], [], [], []
    for item in indicators.definitions():
        if not item.computed:
            continue
        for option, expression in indicators.expressions_of(item):
            slot = len(national_list)
            national_list.append((item.code, option))
            if item.count:
                members = sorted(filed.get(item.count, ()))
                per_org = np.zeros(n_orgs)
                per_org[members] = 10**SCALE
                present = np.zeros(n_orgs, dtype=bool)
                present[members] = True
            else:
                wanted = [where[c] for c in indicators.cells_of(expression) if c in where]
                mask = np.isin(keys, wanted)
                per_org = np.bincount(orgs[mask], weights=values[mask], minlength=n_orgs)
                present = np.bincount(orgs[mask], minlength=n_orgs) > 0
            members = np.flatnonzero(present)
            national_orgs.append(members)
            national_keys.append(np.full(len(members), slot, dtype=np.int64))
            national_values.append(per_org[members])
    if national_list:
        out.extend(
            AggregateRow("", code, option, by, group, value, count, AggregateKind.NATIONAL)
            for (code, option), by, group, value, count in _group_sums(
                org_ids,
                groups,
                np.concatenate(national_orgs).astype(np.int64),
                np.concatenate(national_keys),
                np.concatenate(national_values),
                national_list,
            )
        )
    counts = {"organizations": len(org_ids), "submissions": len(versions)}
    return out, counts


_COLUMNS = (
    "period_id",
    "published",
    "kind",
    "form",
    "indicator",
    "option",
    "by",
    "group",
    "value",
    "organizations",
)


def _table() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(AggregateValue._meta.db_table), ", ".join(quote(c) for c in _COLUMNS)


@transaction.atomic
def rebuild(period: Period) -> AggregateSet:
    """Replace the current (unpublished) aggregates of `period` with a fresh computation.
    Worker-side: callers checked access. The published copy is left as it is. The derived
    rows are written with plain SQL (no model instances: nothing listens to them)."""
    started = time.perf_counter()
    rows, counts = compute(period)
    table, columns = _table()
    marks = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE period_id = %s AND published = %s", [period.pk, False]
        )
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [
                (
                    period.pk,
                    False,
                    r.kind,
                    r.form,
                    r.indicator,
                    r.option,
                    r.by,
                    r.group,
                    r.value,
                    r.organizations,
                )
                for r in rows
            ],
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
    table, columns = _table()
    copied = columns.replace(connection.ops.quote_name("published"), "TRUE", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE period_id = %s AND published = %s", [period.pk, True]
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {copied} FROM {table}"
            " WHERE period_id = %s AND published = %s",
            [period.pk, False],
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
