"""Who may see and do what with report forms, periods and submissions.

Forms and periods are public. A submission is seen and filled by the reporters of its
organization (not its plain members) and by editors (`SubmissionQuerySet.access_rule`).
"""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.stats.models import Period, Regime, Submission


def get_submission_for_user(user, pk) -> Submission:
    return get_visible_or_404(Submission, user, pk=pk)


def get_regime_for_user(user, code) -> Regime:
    return get_visible_or_404(Regime, user, code=code)


def get_period_for_user(user, year) -> Period:
    return get_visible_or_404(Period, user, year=year)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_fill_submission(user, submission: Submission) -> bool:
    """Change the draft values: the organization's reporters (and editors, for a unit that
    sends its figures on paper), while the submission is a draft or returned."""
    return (
        _signed_in(user)
        and submission.is_editable
        and (user.is_editor or user.is_reporter_for(submission.organization_id))
    )


def can_review_submission(user, submission: Submission) -> bool:
    return _signed_in(user) and user.is_editor


def can_manage_periods(user) -> bool:
    """Open periods, assign forms, edit regimes, send reminders: editors."""
    return _signed_in(user) and user.is_editor
