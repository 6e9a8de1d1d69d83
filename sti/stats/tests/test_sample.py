import pytest

from sti.stats.models import Submission, SubmissionVersion

pytestmark = pytest.mark.django_db


def test_load_sample_is_idempotent(org_a, org_b, editor):
    from sti.stats.sample import load_sample

    lines = []
    load_sample(lines.append)
    count = Submission.objects.count()
    assert count == 10  # 2 organizations × 5 forms
    assert SubmissionVersion.objects.count() == 2
    load_sample(lines.append)
    assert Submission.objects.count() == count
    assert SubmissionVersion.objects.count() == 2
