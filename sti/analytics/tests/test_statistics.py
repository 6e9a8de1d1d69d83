"""The indicators read from the statistics aggregates: the period of the scope's last year,
the current build (editors' figures), over every organization or one province-level group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from sti.analytics.indicators import Scope, figure
from sti.stats import services
from sti.stats.models import AggregateValue
from sti.stats.regimes import load_file

TT15 = Path(__file__).resolve().parents[2] / "stats" / "data" / "tt15_2018.yaml"


@pytest.fixture
def aggregates(db, editor):
    regime, _notes = load_file(TT15)
    period = services.open_period(editor, 2024, regime)
    rows = [
        # (published, kind, form, indicator, by, group, value)
        (False, "national", "", "1403", "", "", "7455"),
        (True, "national", "", "1403", "", "", "7000"),  # an older published copy
        (False, "national", "", "1403", "admin_unit_2025", "92", "4162"),
        (False, "national", "", "1403", "admin_unit", "93", "141"),
        (False, "cell", "04", "04.01", "", "", "1500"),
        (False, "cell", "04", "04.11", "", "", "182"),
        (False, "cell", "04", "04.01", "admin_unit", "93", "30"),
        (False, "cell", "04", "04.11", "admin_unit", "93", "5"),
        (False, "cell", "04", "04.02", "", "", "999"),  # a part, not a total: not counted
    ]
    AggregateValue.objects.bulk_create(
        AggregateValue(
            period=period,
            published=published,
            kind=kind,
            form=form,
            indicator=indicator,
            option="",
            by=by,
            group=group,
            value=Decimal(value),
            organizations=3,
        )
        for published, kind, form, indicator, by, group, value in rows
    )
    return period


@pytest.mark.parametrize(
    ("scope", "staff", "tasks"),
    [
        (Scope.year(2024), 7455, 1682),
        (Scope(dt.date(2022, 1, 1), dt.date(2024, 12, 31)), 7455, 1682),  # the last year
        (Scope.year(2024, admin_unit="92"), 4162, None),
        (Scope.year(2024, admin_unit="93", scheme="before"), 141, 35),
        (Scope.year(2024, admin_unit="93"), None, None),  # no such group after the merger
        (Scope.year(2023), None, None),  # no period
    ],
)
def test_statistics_indicators_read_the_current_build(aggregates, scope, staff, tasks):
    assert figure("stats.rd_staff", scope).value == staff
    assert figure("stats.tasks_reported", scope).value == tasks
    assert figure("stats.rd_staff", scope).note.startswith("Số liệu năm cuối của kỳ")


def test_three_year_report_states_the_statistics_staff_and_tasks(aggregates, editor):
    """Seed 003 §1.3 gives 1,682 tasks and 7,455 researchers from the statistics forms: the
    shipped template states them, not only the registry's or the directory's counts."""
    from sti.analytics.reports import builder, services

    draft = services.create_draft(editor, "nq02-ba-nam", 2022, 2024)
    sentences = [
        block.sentence()
        for section in builder.compute_draft(draft).sections
        if section.definition.key == "1.3"
        for block in section.blocks
        if block.kind == "figure"
    ]
    assert "Số cán bộ nghiên cứu khoa học và phát triển công nghệ (2024): 7.455 người" in sentences
    assert "Số nhiệm vụ KH&CN các cấp (báo cáo thống kê) (2024): 1.682 nhiệm vụ" in sentences
