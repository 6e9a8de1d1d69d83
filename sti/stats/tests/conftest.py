from pathlib import Path

import pytest

from sti.stats.regimes import load_file

TT15 = Path(__file__).resolve().parents[1] / "data" / "tt15_2018.yaml"


@pytest.fixture
def regime(db):
    regime, _notes = load_file(TT15)
    return regime


@pytest.fixture
def period(regime, editor):
    from sti.stats import services

    return services.open_period(editor, 2024, regime)


@pytest.fixture
def forms(regime):
    return {form.number: form for form in regime.forms.all()}


@pytest.fixture
def submissions(period, forms, org_a, org_b, editor):
    """Forms 01, 02, 03, 04, 06 and 08 assigned to organizations A and B."""
    from sti.stats import services

    services.assign_forms(editor, period, [org_a, org_b], list(forms.values()))
    from sti.stats.models import Submission

    return {
        (s.organization_id, s.form.number): s
        for s in Submission.objects.filter(period=period).select_related("form", "period")
    }


@pytest.fixture
def sub_a(submissions, org_a):
    """Organization A's form 02."""
    return submissions[(org_a.pk, "02")]


def personnel_values() -> dict:
    """A consistent form 02: 40 people (5 TS, 10 ThS, 20 ĐH, 5 khác), 2 GS, 3 PGS…"""
    return {
        "02.01": "40",
        "02.01|qual.TS": "5",
        "02.01|qual.ThS": "10",
        "02.01|qual.DH": "20",
        "02.01|qual.KHAC": "5",
        "02.01|title.GS": "2",
        "02.01|title.PGS": "3",
        "02.02": "18",
        "02.02|qual.TS": "2",
        "02.02|qual.ThS": "6",
        "02.02|qual.DH": "10",
        "02.03": "38",
        "02.03|qual.TS": "5",
        "02.03|qual.ThS": "10",
        "02.03|qual.DH": "18",
        "02.03|qual.KHAC": "5",
        "02.04": "2",
        "02.04|qual.DH": "2",
        "02.06": "12",
        "02.06|qual.TS": "5",
        "02.06|qual.ThS": "7",
    }
