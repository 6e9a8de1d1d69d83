"""Aggregation of a generated period of 73 organizations with known values: every stored
aggregate and national indicator equals a computation made here, from the raw values and the
organizations' attributes, without the aggregation code."""

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from sti.core.models import AdminUnit, FieldOfScience
from sti.directory.choices import EconomicSector, OrganizationKind
from sti.directory.models import Organization
from sti.stats import aggregation, aggregation_synthetic, layout
from sti.stats.choices import AggregateKind, SubmissionStatus
from sti.stats.models import AggregateValue, Submission

pytestmark = pytest.mark.django_db

ORGANIZATIONS = 73
# (unit code, its version) → expected (province before 2025, district (unused), unit after 2025)
UNITS = [
    (("916", "2024"), ("92", "916", "92")),  # Quận Ninh Kiều, TP Cần Thơ (cũ)
    (("930", "2024"), ("93", "930", "92")),  # TP Vị Thanh, Hậu Giang
    (("943", "2024"), ("94", "943", "92")),  # Huyện Kế Sách, Sóc Trăng
    (("94", "2024"), ("94", "_", "92")),  # the province itself
    (("92", "2025"), ("_", "_", "92")),  # registered after the merger
    (None, ("_", "_", "_")),  # no unit in the directory
]
# field codes given to an organization → expected level-1 field ("main" = lowest code)
FIELDS = [
    (["101"], "1"),
    (["202", "106"], "1"),
    (["3"], "3"),
    (["405", "502"], "4"),
    ([], "_"),
    (["604"], "6"),
]

# National indicators written out here, independently of national_indicators.yaml:
# code → {option key: [cell keys summed]}
NATIONAL = {
    "1402": {
        "": ["02.01"],
        "gender.nu": ["02.02"],
        **{f"qual.{q}": [f"02.01|qual.{q}"] for q in ("TS", "ThS", "DH", "CD", "TC", "KHAC")},
        "title.GS": ["02.01|title.GS"],
        "title.PGS": ["02.01|title.PGS"],
        "ethnic.KINH": ["02.03"],
        "ethnic.TS": ["02.04"],
        "ethnic.NN": ["02.05"],
    },
    "1403": {
        "": ["02.06"],
        **{f"qual.{q}": [f"02.06|qual.{q}"] for q in ("TS", "ThS", "DH", "CD", "TC", "KHAC")},
        "title.GS": ["02.06|title.GS"],
        "title.PGS": ["02.06|title.PGS"],
    },
    "1404": {
        "": ["08.02|ipstat.VB"],
        "ip.DON": ["08.02|ipstat.DON"],
        "ip.GPHI": ["08.03|ipstat.VB"],
    },
    "1407": {
        "": ["03.02", "03.06", "03.11"],
        **{
            f"fund.{f}": [f"03.02|fund.{f}", f"03.06|fund.{f}", f"03.11|fund.{f}"]
            for f in ("TW", "DP", "NGOAI", "NN")
        },
    },
}


@pytest.fixture
def generated(period, forms):
    """73 organizations with varied type, sector, fields and unit; each files a random subset
    of the five forms; most are accepted, a few stay submitted (not aggregated)."""
    rng = random.Random(20241)
    kinds, sectors = OrganizationKind.values, EconomicSector.values
    units = {(u.code, u.version.version): u for u in AdminUnit.objects.select_related("version")}
    fields = {f.code: f for f in FieldOfScience.objects.filter(version__is_current=True)}
    grids = {number: layout.build(form) for number, form in forms.items()}
    expect_groups, entries = {}, []
    for n in range(ORGANIZATIONS):
        unit, unit_groups = UNITS[n % len(UNITS)]
        codes, field_group = FIELDS[n % len(FIELDS)]
        org = Organization.objects.create(
            name=f"Tổ chức thử {n:02d} – Đồng bằng",
            kind=kinds[n % len(kinds)],
            sector=sectors[n % len(sectors)],
            admin_unit=units[unit] if unit else None,
        )
        org.fields.set([fields[c] for c in codes])
        expect_groups[org.pk] = {
            "": "",
            "org_type": org.kind,
            "sector": org.sector,
            "field": field_group,
            "admin_unit": unit_groups[0],
            "admin_unit_2025": unit_groups[2],
        }
        for number in sorted(forms):
            if n % 7 == 3 and number == "03":
                continue  # some organizations were not asked for form 03
            values = aggregation_synthetic.form_values(grids[number], rng)
            if number == "01":
                values["01.03"] = "13.2"
            entries.append((org.pk, forms[number], values))
    aggregation_synthetic.file_accepted(period, entries)
    # A few stay "submitted": their figures must not be aggregated.
    pending = Submission.objects.filter(period=period).order_by("pk")[::17]
    pending_keys = {(s.organization_id, s.form_id) for s in pending}
    Submission.objects.filter(pk__in=[s.pk for s in pending]).update(
        status=SubmissionStatus.SUBMITTED
    )
    accepted = [e for e in entries if (e[0], e[1].pk) not in pending_keys]
    assert 0 < len(accepted) < len(entries)
    return accepted, expect_groups, grids


def expected_cells(accepted, groups, grids):
    """{(indicator, option, by, group): (sum, organizations)} computed from the raw values."""
    out = defaultdict(lambda: [Decimal(0), 0])
    for org, form, values in accepted:
        grid = grids[form.number]
        for key, value in values.items():
            if key not in grid.cells or grid.cells[key].indicator.kind == "text":
                continue
            code, _sep, option = key.partition("|")
            for by, group in groups[org].items():
                slot = out[(code, option, by, group)]
                slot[0] += Decimal(value)
                slot[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def expected_national(accepted, groups):
    per_org = defaultdict(dict)
    filed_01 = set()
    for org, form, values in accepted:
        per_org[org].update(values)
        if form.number == "01":
            filed_01.add(org)
    out = defaultdict(lambda: [Decimal(0), 0])
    for org in filed_01:
        for by, group in groups[org].items():
            out[("1401", "", by, group)][0] += 1
            out[("1401", "", by, group)][1] += 1
    for code, parts in NATIONAL.items():
        for option, keys in parts.items():
            for org, values in per_org.items():
                present = [Decimal(values[k]) for k in keys if k in values]
                if not present:
                    continue
                for by, group in groups[org].items():
                    slot = out[(code, option, by, group)]
                    slot[0] += sum(present)
                    slot[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def stored(period, kind, *, published=False):
    return {
        (r.indicator, r.option, r.by, r.group): (r.value, r.organizations)
        for r in AggregateValue.objects.filter(period=period, kind=kind, published=published)
    }


def test_every_aggregate_and_indicator_equals_an_independent_computation(period, generated):
    accepted, groups, grids = generated
    built = aggregation.rebuild(period)
    assert built.organizations == ORGANIZATIONS
    assert built.submissions == len(accepted)

    cells = expected_cells(accepted, groups, grids)
    assert stored(period, AggregateKind.CELL) == cells
    national = expected_national(accepted, groups)
    assert stored(period, AggregateKind.NATIONAL) == national
    # Every grouping was cut, and the groups of one cut add up to the total.
    total_0201 = cells[("02.01", "", "", "")][0]
    for by in aggregation.GROUPINGS:
        by_group = [v for (c, o, b, _g), (v, _n) in cells.items() if (c, o, b) == ("02.01", "", by)]
        assert len(by_group) >= 2 and sum(by_group) == total_0201
    # The 2025 merger: every old unit maps to the new city.
    after = {g for (_c, _o, b, g) in cells if b == "admin_unit_2025"}
    assert after == {"92", "_"}


def test_read_api_returns_the_stored_rows_and_only_the_published_copy_by_default(
    period, generated, editor
):
    accepted, groups, grids = generated
    aggregation.rebuild(period)
    assert aggregation.aggregate(period) == []  # nothing published yet
    current = aggregation.aggregate(period, "field", published=False)
    assert current and {r.by for r in current} == {"field"}
    cells = expected_cells(accepted, groups, grids)
    for row in current:
        assert (row.value, row.organizations) == cells[
            (row.indicator, row.option, "field", row.group)
        ]

    aggregation.publish(editor, period)
    assert aggregation.aggregate(period, "field") == current
    labels = aggregation.group_labels("admin_unit")
    assert labels["93"] == "Tỉnh Hậu Giang" and labels["_"] == "Chưa xác định"

    # A rebuild after publication leaves the published copy alone.
    Submission.objects.filter(period=period, form__number="02").update(
        status=SubmissionStatus.RETURNED
    )
    built = aggregation.rebuild(period)
    assert built.has_unpublished_changes
    assert aggregation.aggregate(period, indicators=["02.01"], published=False) == []
    assert (
        aggregation.aggregate(period, indicators=["02.01"])[0].value
        == cells[("02.01", "", "", "")][0]
    )
    with pytest.raises(ValueError):
        aggregation.aggregate(period, "colour")


def test_accepting_a_submission_rebuilds_the_aggregates_on_the_worker(
    sub_a, editor, reporter_a, run_on_commit
):
    from sti.core.models import TrackedJob
    from sti.stats import services
    from sti.stats.jobs import AGGREGATE
    from sti.stats.tests.conftest import personnel_values

    services.save_values(reporter_a, sub_a, personnel_values())
    services.submit_submission(reporter_a, sub_a)
    assert aggregation.aggregate_set(sub_a.period) is None  # submitting alone changes nothing
    with run_on_commit():
        services.review_submission(editor, sub_a, accept=True)
    job = TrackedJob.objects.get(kind=AGGREGATE)
    assert job.state == "done", job.error
    rows = aggregation.as_table(aggregation.aggregate(sub_a.period, published=False))
    assert rows[("02.01", "", "", "")].value == 40
    assert rows[("02.01", "qual.DH", "", "")].value == 20

    # Reopening the accepted submission takes its figures out again.
    with run_on_commit():
        services.review_submission(editor, sub_a, accept=False, note="Sai số liệu nữ")
    assert aggregation.aggregate(sub_a.period, published=False) == []
    assert TrackedJob.objects.filter(kind=AGGREGATE, state="done").count() == 2


def test_national_indicators_are_read_with_their_definitions(period, generated, editor, regime):
    from sti.stats import indicators

    assert indicators.check(regime) == []
    accepted, groups, _grids = generated
    aggregation.rebuild(period)
    aggregation.publish(editor, period)
    results = {r.indicator.code: r for r in aggregation.national_indicators(period, by="sector")}
    assert sorted(results) == ["1401", "1402", "1403", "1404", "1405", "1406", "1407"]
    national = expected_national(accepted, groups)
    assert results["1402"].total == national[("1402", "", "", "")][0]
    parts = {p.key: v for p, v in results["1407"].parts}
    assert parts["fund.TW"] == national[("1407", "fund.TW", "", "")][0]
    assert results["1401"].groups
    assert sum(g[2] for g in results["1401"].groups) == national[("1401", "", "", "")][0]
    # 1405 and 1406 come from the enterprise survey: shown with the reason, never a figure.
    assert results["1405"].total is None and not results["1405"].indicator.computed
    assert "điều tra doanh nghiệp" in results["1405"].indicator.computation_text
    assert "Tổ chức khoa học và công nghệ là tổ chức" in results["1401"].indicator.definition_text
