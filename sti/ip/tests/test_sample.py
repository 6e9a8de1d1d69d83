"""The demo register gives the city report's figures (with the grants made consistent),
loads idempotently on top of the directory and task samples, and `generate` extends it."""

from collections import Counter

from sti.directory.sample import load_sample as load_directory
from sti.ip import services
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing
from sti.ip.sample import PERIOD_END, PERIOD_START, generate, load_sample, plan_rows
from sti.projects.sample import load_sample as load_projects


def test_the_plan_matches_the_report_and_adds_up():
    rows = plan_rows()
    assert len(rows) == 1690
    assert Counter(row["kind"] for row in rows) == {
        IPKind.TRADEMARK: 1627,
        IPKind.PATENT: 24,
        IPKind.UTILITY: 5,
        IPKind.DESIGN: 34,
    }
    granted = [row for row in rows if row["status"] == FilingStatus.GRANTED]
    assert len(granted) == 727
    assert Counter(row["kind"] for row in granted) == {
        IPKind.TRADEMARK: 692,
        IPKind.PATENT: 7,
        IPKind.UTILITY: 5,
        IPKind.DESIGN: 23,
    }
    for row in rows:
        assert PERIOD_START <= row["filed_on"] <= PERIOD_END
        if row["status"] == FilingStatus.GRANTED:
            assert row["filed_on"] < row["granted_on"] <= PERIOD_END and row["grant_number"]
        else:
            assert "granted_on" not in row
    numbers = [(row["kind"], row["application_number"]) for row in rows]
    assert len(set(numbers)) == len(numbers)
    grants = [row["grant_number"] for row in granted]
    assert len(set(grants)) == len(grants)
    assert plan_rows() == rows  # deterministic


def test_sample_loads_idempotently_and_counts_give_the_report(
    db, django_capture_on_commit_callbacks, member_a
):
    load_directory(lambda _m: None)
    with django_capture_on_commit_callbacks(execute=True):
        load_projects(lambda _m: None)
    load_sample(lambda _m: None)
    load_sample(lambda _m: None)
    assert Filing.objects.count() == 1690 + 2  # the register and the two filings of demo tasks
    figures = services.counts(by=("kind",), start=PERIOD_START, end=PERIOD_END)
    assert sum(figures["applications"].values()) == 1690
    assert sum(figures["grants"].values()) == 727
    assert figures["grants"][(IPKind.TRADEMARK,)] == 692
    # Filings of the demo tasks are listed on their task's page.
    dau = Filing.objects.get(title="Dâu Hạ Châu Phong Điền")
    assert dau.task.code.endswith(".18") and dau.applicant_organization_id == dau.task.host_id
    # Universities are linked to the directory; some recent filings are not public yet.
    ctu = Filing.objects.filter(applicant_organization__name="Trường Đại học Cần Thơ")
    assert ctu.filter(kind=IPKind.PATENT).exists()
    hidden = Filing.objects.filter(status=FilingStatus.FILED, applicant_organization__isnull=False)
    assert hidden.exists()
    assert not Filing.objects.visible_to(None).filter(pk__in=hidden.values("pk")).exists()


def test_generate_adds_synthetic_filings(db, org_a, org_b):
    def progress(label, total):
        return lambda done: None

    assert generate(200, 3, progress) == {"ip_filings": 20}
    assert generate(200, 3, progress) == {"ip_filings": 20}  # again: numbers stay unique
    assert Filing.objects.count() == 40
    assert not Filing.objects.filter(status=FilingStatus.GRANTED, grant_number="").exists()
