"""Query-count pins: each list and detail page costs the same at 2 and 20 rows."""

import pytest

from sti.core.testing import assert_flat_queries
from sti.directory.models import Organization
from sti.stats import services
from sti.stats.models import Period, Submission, SubmissionVersion

pytestmark = pytest.mark.django_db


def _more_organizations(period, form, editor, reporter=None):
    from sti.accounts.models import Membership

    def add(count):
        start = Organization.objects.count()
        made = [
            Organization.objects.create(
                name=f"Viện nghiên cứu Cần Thơ số {start + i}", kind="institute"
            )
            for i in range(count)
        ]
        services.assign_forms(editor, period, made, [form])
        if reporter is not None:
            for organization in made:
                Membership.objects.create(user=reporter, organization=organization)
        return [o.name for o in made]

    return add


def test_board(client_for, editor, period, forms):
    add = _more_organizations(period, forms["02"], editor)
    assert_flat_queries(client_for(editor), "/thong-ke/ky/2024/", add, at_most=8)


def test_my_submissions(client_for, editor, reporter_a, period, forms):
    add = _more_organizations(period, forms["03"], editor, reporter_a)
    assert_flat_queries(client_for(reporter_a), "/thong-ke/", add, at_most=4)


def test_submission_detail(client_for, sub_a, reporter_a):
    def add(count):
        start = sub_a.versions.count()
        SubmissionVersion.objects.bulk_create(
            [
                SubmissionVersion(submission=sub_a, number=start + i + 1, values={})
                for i in range(count)
            ]
        )
        return [f"Lần {start + count}"]

    assert_flat_queries(client_for(reporter_a), sub_a.get_absolute_url(), add, at_most=20)


def test_period_list(client_for, editor, regime):
    def add(count):
        start = 2000 + Period.objects.count()
        for year in range(start, start + count):
            Period.objects.create(year=year, regime=regime, deadline=regime.default_deadline(year))
        return []

    assert_flat_queries(client_for(editor), "/thong-ke/ky/", add, at_most=4)


def test_submission_api_list(client_for, editor, period, forms):
    add = _more_organizations(period, forms["02"], editor)
    assert_flat_queries(
        client_for(editor), "/api/stats/submissions", lambda n: add(n) and None, at_most=4
    )
    assert Submission.objects.count() == 20
