"""The lifecycle of a course, on the shared state-machine code.

draft → open for registration → registration closed → running → finished, or cancelled
from any state before "finished" (with an explicit confirmation: registrants are told).
Editors and the organizer's reporters make every move; `COURSE.move` is the only writer
of a course's status.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import StateMachine, moves
from sti.training.choices import CourseStatus as S
from sti.training.models import Course

MANAGER = "manager"


def course_roles(user, course) -> set[str]:
    if user.is_editor or user.is_reporter_for(course.organizer_id):
        return {MANAGER}
    return set()


def _has_sessions(course, context) -> str:
    if not course.sessions.exists():
        return str(_("khóa học chưa có buổi học nào."))
    return ""


_M = {MANAGER}
COURSE = StateMachine(
    model=Course,
    states=S,
    noun=_("khóa học"),
    table=[
        *moves([S.DRAFT, S.CLOSED], S.OPEN, _("Mở đăng ký"), _M, _has_sessions),
        *moves([S.OPEN], S.CLOSED, _("Đóng đăng ký"), _M),
        *moves([S.OPEN, S.CLOSED], S.RUNNING, _("Bắt đầu khóa học"), _M, _has_sessions),
        *moves([S.RUNNING], S.FINISHED, _("Kết thúc khóa học"), _M),
        *moves(
            [S.DRAFT, S.OPEN, S.CLOSED, S.RUNNING],
            S.CANCELLED,
            _("Hủy khóa học"),
            _M,
            confirm=_("Không thể hoàn tác: mọi người đăng ký sẽ nhận thư báo hủy khóa học."),
        ),
    ],
    roles=course_roles,
)
