"""The editor's queue of submissions waiting for review."""

from sti.core.registries import summarize
from sti.stats.choices import SubmissionStatus
from sti.stats.models import Submission


def submitted(user):
    return summarize(
        Submission.objects.visible_to(user).filter(status=SubmissionStatus.SUBMITTED),
        "submitted_at",
    )
