"""Regimes as data: loading, checking, a second regime beside the first, editing."""

import copy
from io import StringIO

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from sti.stats import regimes, services
from sti.stats.models import Indicator, Period, Regime, ReportForm, ValidationRule
from sti.stats.tests.conftest import TT15, personnel_values

pytestmark = pytest.mark.django_db


def tt15() -> dict:
    return yaml.safe_load(TT15.read_text(encoding="utf-8"))


def test_tt15_forms_and_provenance(regime):
    assert [f.code for f in regime.forms.all()] == [
        "01/KHCN-TC",
        "02/KHCN-NL",
        "03/KHCN-CP",
        "04/KHCN-NV",
        "06/KHCN-CG",
        "08/KHCN-SHTT",
    ]
    assert "TT 25/2015" in regime.provenance and "không truy cập được" in regime.provenance
    assert regime.default_deadline(2024).isoformat() == "2025-02-01"
    staff = Indicator.objects.get(regime=regime, code="02.01")
    assert staff.columns == ["qual", "title"]
    assert staff.label == "Tổng số"
    # a for_each rule expands to one rule per row, each with its Vietnamese message
    assert (
        ValidationRule.objects.filter(form__code="02/KHCN-NL", code__startswith="R03.").count() == 6
    )
    assert all(rule.message for rule in ValidationRule.objects.all())


def test_loading_again_changes_nothing(regime):
    counts = (Indicator.objects.count(), ValidationRule.objects.count(), ReportForm.objects.count())
    regimes.load_file(TT15)
    assert (
        Indicator.objects.count(),
        ValidationRule.objects.count(),
        ReportForm.objects.count(),
    ) == counts


def test_dump_and_load_round_trip(regime):
    text = regimes.dump_text(regime)
    before = regimes.dump_regime(regime)
    regimes.load_regime(regimes.parse_text(text))
    assert regimes.dump_regime(Regime.objects.get(code=regime.code)) == before


def test_a_wrong_file_writes_nothing(db):
    data = tt15()
    data["forms"][1]["rules"][2]["right"] = "{i}|nosuch.*"
    data["forms"][1]["sections"][0]["indicators"][0][3] = "so"
    with pytest.raises(regimes.RegimeError) as caught:
        regimes.load_regime(data)
    text = " ".join(caught.value.errors)
    assert "02.01|nosuch.*" in text and "kiểu" in text
    assert not Regime.objects.exists()


def test_second_regime_beside_the_first(regime, editor):
    data = tt15()
    data.update(code="tt45-2025", legal_basis="Thông tư 45/2025/TT-BKHCN", valid_from="2026-01-01")
    data["deadline"] = {"month": 3, "day": 15}
    data["forms"] = copy.deepcopy(data["forms"][:2])
    data["forms"][1]["code"] = "02/KHCN-NL-2026"
    second, _notes = regimes.load_regime(data)
    assert Regime.objects.count() == 2
    old = services.open_period(editor, 2024, regime)
    new = services.open_period(editor, 2026, second)
    assert old.regime == regime and new.regime == second
    assert new.deadline.isoformat() == "2027-03-15"
    assert Indicator.objects.filter(code="02.01").count() == 2
    with pytest.raises(ValidationError):
        services.assign_forms(editor, new, [], list(regime.forms.all()))


def test_indicator_with_values_is_kept(sub_a, reporter_a):
    services.save_values(reporter_a, sub_a, personnel_values())
    services.submit_submission(reporter_a, sub_a)
    data = tt15()
    data["forms"][1]["sections"][0]["indicators"] = (
        data["forms"][1]["sections"][0]["indicators"][:1]
        + data["forms"][1]["sections"][0]["indicators"][2:]
    )
    data["forms"][1]["rules"] = [
        r for r in data["forms"][1]["rules"] if r["code"] in ("R01", "R02")
    ]
    _regime, notes = regimes.load_regime(data)
    assert any("02.02" in note for note in notes)


def test_command(db):
    out = StringIO()
    call_command("load_regime", str(TT15), stdout=out)
    assert "tt15-2018" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("load_regime", "/nonexistent.yaml")


def test_editor_edits_a_label_without_code(regime, editor, client_for):
    client = client_for(editor)
    text = client.get(f"/thong-ke/che-do/{regime.code}/sua/").context["form"].initial["text"]
    assert "Tổng số người làm việc" in text
    text = text.replace("Tổng số người làm việc", "Tổng số người làm việc (theo phụ lục)")
    response = client.post(f"/thong-ke/che-do/{regime.code}/sua/", {"text": text})
    assert response.status_code == 302
    assert Indicator.objects.get(code="01.10").name == "Tổng số người làm việc (theo phụ lục)"
    broken = text.replace("operator: <=", "operator: =<", 1)
    response = client.post(f"/thong-ke/che-do/{regime.code}/sua/", {"text": broken})
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


def test_open_period_page(regime, editor, client_for):
    response = client_for(editor).post("/thong-ke/ky/", {"year": 2025, "regime": regime.pk})
    assert response.status_code == 302
    assert Period.objects.get(year=2025).deadline.isoformat() == "2026-02-01"
