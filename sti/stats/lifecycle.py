"""The lifecycle of a submission, on the shared state-machine code.

draft → submitted (the organization's reporter; the values are frozen as a new version) →
accepted or returned with comments (editors) → returned → submitted again. An editor may also
reopen an accepted submission (returned) when an error is found later. `SUBMISSION.move` is
the only writer of a submission's status.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import StateMachine, moves
from sti.stats import layout, validation
from sti.stats.choices import SubmissionStatus as S
from sti.stats.models import Submission

REPORTER = "reporter"
EDITOR = "editor"


def submission_roles(user, submission) -> set[str]:
    roles = set()
    if user.is_editor:
        roles.add(EDITOR)
    if user.is_reporter_for(submission.organization_id):
        roles.add(REPORTER)
    return roles


def _values_valid(submission, context) -> str:
    """The values pass every rule of level "error" (the service names the cells first)."""
    grid = layout.build(submission.form)
    issues = validation.validate(grid, submission.values, validation.Context(submission))
    errors = validation.errors_of(issues)
    if errors:
        return str(_("số liệu còn %(n)s lỗi: %(first)s")) % {
            "n": len(errors),
            "first": errors[0].message,
        }
    return ""


def _note_given(submission, context) -> str:
    if not str(context.get("note") or "").strip():
        return str(_("hãy ghi ý kiến để đơn vị biết cần sửa gì."))
    return ""


SUBMISSION = StateMachine(
    model=Submission,
    states=S,
    noun=_("báo cáo thống kê"),
    table=[
        *moves(
            [S.DRAFT, S.RETURNED], S.SUBMITTED, _("Nộp báo cáo"), {REPORTER, EDITOR}, _values_valid
        ),
        *moves([S.SUBMITTED], S.ACCEPTED, _("Chấp nhận"), {EDITOR}),
        *moves([S.SUBMITTED, S.ACCEPTED], S.RETURNED, _("Trả lại để sửa"), {EDITOR}, _note_given),
    ],
    roles=submission_roles,
)
