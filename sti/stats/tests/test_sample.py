from decimal import Decimal

import pytest
from django.db.models import Sum

from sti.stats.choices import SubmissionStatus
from sti.stats.models import Period, Submission, SubmissionValue, SubmissionVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    from sti.directory.models import Organization
    from sti.stats.sample import IP_ORGANIZATION

    return Organization.objects.create(name=IP_ORGANIZATION, kind="state_agency")


@pytest.fixture
def demo(org_a, org_b, department, editor):
    from sti.stats.sample import load_sample

    lines = []
    load_sample(lines.append)
    return lines


def _cell_sum(year: int, indicator: str) -> Decimal:
    """An independent total: the accepted versions' cells of `indicator` (total column)."""
    return SubmissionValue.objects.filter(
        version__submission__period__year=year,
        version__submission__status=SubmissionStatus.ACCEPTED,
        indicator__code=indicator,
        option__isnull=True,
    ).aggregate(s=Sum("number"))["s"]


def test_load_sample_is_idempotent(demo):
    from sti.stats.sample import load_sample

    counts = Submission.objects.count(), SubmissionVersion.objects.count()
    # 73 units × 4 forms × 5 years, the department's form 08, 12 units × 6 forms now
    assert counts[0] == 73 * 4 * 5 + 1 + 12 * 6
    load_sample([].append)
    assert (Submission.objects.count(), SubmissionVersion.objects.count()) == counts


def test_history_gives_the_seed_report_totals(demo):
    from sti.stats.sample import HISTORY

    assert Period.objects.filter(year__in=HISTORY).count() == 5
    organizations = (
        Submission.objects.filter(period__year=2019, form__number="02")
        .values("organization")
        .distinct()
        .count()
    )
    assert organizations == 73
    assert _cell_sum(2019, "02.06") == 7455
    assert _cell_sum(2019, "04.01") + _cell_sum(2019, "04.11") == 1682
    # the history grows towards the report's year
    staff = [_cell_sum(year, "02.06") for year in sorted(HISTORY)]
    assert staff == sorted(staff) and staff[0] < 7455


def test_history_submissions_satisfy_their_rules(demo):
    from sti.stats import services, validation

    sample = Submission.objects.filter(period__year__in=[2015, 2019]).select_related(
        "form", "period"
    )
    checked = 0
    for submission in sample.order_by("pk")[::23]:
        _values, issues = services.check_values(submission, submission.values)
        assert validation.errors_of(issues) == [], (submission, issues)
        checked += 1
    assert checked > 20


def test_ip_form_as_reported_is_flagged(demo, department, editor):
    from sti.stats import services, validation

    submission = Submission.objects.get(
        period__year=2019, organization=department, form__number="08"
    )
    assert submission.values["08.01|ipstat.VB"] == "727"
    assert submission.values["08.05|ipstat.VB"] == "727"
    _values, issues = services.check_values(submission, submission.values)
    errors = validation.errors_of(issues)
    assert [e.key for e in errors] == ["08.01|ipstat.VB"]
    assert "727" in errors[0].message and "762" in errors[0].message
    # applications add up: 1,627 + 24 + 5 + 34 = 1,690
    assert not any("ipstat.DON" in e.key for e in errors)
    with pytest.raises(services.InvalidValues):
        services.submit_submission(editor, submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_seed_totals_come_out_of_the_published_aggregation(demo):
    """The report's figures as the public reads them: the published aggregates of 2019."""
    from sti.stats import aggregation, publication

    period = Period.objects.get(year=2019)
    table = aggregation.as_table(aggregation.aggregate(period, published=True))
    assert table[("02.06", "", "", "")].value == 7455
    assert table[("02.06", "", "", "")].organizations == 73
    assert table[("04.01", "", "", "")].value + table[("04.11", "", "", "")].value == 1682
    series = {s.code: s for s in publication.headline_series()}
    assert series["NV"].years == [2015, 2016, 2017, 2018, 2019]
    assert series["NV"].values[-1] == 1682
    assert series["NV"].forecast.ok and series["NV"].forecast.model == "ETS(A,A,N)"


def test_generate_adds_a_valid_accepted_period(org_a, org_b, editor):
    from sti.stats import services, validation
    from sti.stats.sample import generate

    counts = generate(40, 3, lambda label, total: lambda n: None)
    period = Period.objects.get(year=counts["stat_period"])
    submissions = Submission.objects.filter(period=period).select_related("form", "period")
    assert counts["stat_submissions"] == submissions.count() == 2 * 5
    assert {s.status for s in submissions} == {SubmissionStatus.ACCEPTED}
    for submission in submissions:
        _values, issues = services.check_values(submission, submission.values)
        assert validation.errors_of(issues) == [], (submission, issues)
