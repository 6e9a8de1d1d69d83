"""The lifecycle of an S&T task as an explicit state machine (DOMAIN.md §1.4, §4).

`TRANSITIONS` is the whole table: (from, to) → who may make the move and what it is called.
Anything not in the table is illegal. `services.transition_task` is the only writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sti.projects.choices import TaskStatus as S

EDITOR = "editor"
HOST_REPORTER = "host_reporter"


class TransitionError(Exception):
    """An illegal or refused transition; `str(error)` is a message for the user."""

    def __init__(self, message, code: str = "illegal"):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code  # "illegal" (409 in the API) or "forbidden" (403)


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: str
    roles: frozenset[str]
    # A guard returns an error message when the task is not ready for the move, else "".
    guard: Callable | None = None


def _needs_contract(task) -> str:
    if not task.contract_number:
        return str(_("Cần nhập số hợp đồng trước khi ghi nhận ký hợp đồng."))
    return ""


def _needs_acceptance(rating_group: tuple[str, ...]):
    def guard(task) -> str:
        latest = task.acceptances.order_by("-date", "-id").first()
        if latest is None or latest.rating not in rating_group:
            return str(
                _("Cần ghi nhận kết quả nghiệm thu (ngày, hội đồng, xếp loại) tương ứng trước.")
            )
        return ""

    return guard


def _needs_certificate(task) -> str:
    registration = getattr(task, "registration", None)
    if registration is None or not registration.certificate_number:
        return str(
            _("Cần có giấy chứng nhận đăng ký kết quả trước khi chuyển sang trạng thái này.")
        )
    return ""


def _needs_application(task) -> str:
    if not task.applications.exists():
        return str(_("Cần ghi nhận ít nhất một báo cáo ứng dụng kết quả (Mẫu 12)."))
    return ""


_ED = frozenset({EDITOR})
_ED_HOST = frozenset({EDITOR, HOST_REPORTER})
_RUNNING = (S.IN_PROGRESS, S.ADJUSTED, S.EXTENDED)

_TABLE: list[Move] = [
    Move(S.PROPOSED, S.LISTED, _("Phê duyệt danh mục"), _ED),
    Move(S.LISTED, S.SELECTION, _("Tổ chức tuyển chọn / xét chọn"), _ED),
    Move(S.LISTED, S.DIRECT, _("Giao trực tiếp"), _ED),
    Move(S.SELECTION, S.PLAN_APPROVED, _("Phê duyệt thuyết minh và kinh phí"), _ED),
    Move(S.DIRECT, S.PLAN_APPROVED, _("Phê duyệt thuyết minh và kinh phí"), _ED),
    Move(S.PLAN_APPROVED, S.CONTRACTED, _("Ký hợp đồng"), _ED, _needs_contract),
    Move(S.CONTRACTED, S.IN_PROGRESS, _("Bắt đầu thực hiện"), _ED_HOST),
    *[
        Move(src, S.ADJUSTED, _("Điều chỉnh nội dung, kinh phí"), _ED)
        for src in (S.IN_PROGRESS, S.EXTENDED)
    ],
    *[Move(src, S.EXTENDED, _("Gia hạn"), _ED) for src in (S.IN_PROGRESS, S.ADJUSTED)],
    *[Move(src, S.IN_PROGRESS, _("Tiếp tục thực hiện"), _ED) for src in (S.ADJUSTED, S.EXTENDED)],
    *[Move(src, S.AWAITING_ACCEPTANCE, _("Nộp hồ sơ nghiệm thu"), _ED_HOST) for src in _RUNNING],
    Move(S.AWAITING_ACCEPTANCE, S.IN_PROGRESS, _("Trả hồ sơ, tiếp tục thực hiện"), _ED),
    Move(
        S.AWAITING_ACCEPTANCE,
        S.ACCEPTED,
        _("Nghiệm thu đạt"),
        _ED,
        _needs_acceptance(("xuat_sac", "dat")),
    ),
    Move(
        S.AWAITING_ACCEPTANCE,
        S.FAILED,
        _("Nghiệm thu không đạt"),
        _ED,
        _needs_acceptance(("khong_dat",)),
    ),
    Move(
        S.ACCEPTED, S.REGISTERED, _("Cấp giấy chứng nhận đăng ký kết quả"), _ED, _needs_certificate
    ),
    Move(S.REGISTERED, S.LIQUIDATED, _("Thanh lý hợp đồng"), _ED),
    Move(S.FAILED, S.LIQUIDATED, _("Thanh lý hợp đồng"), _ED),
    Move(S.LIQUIDATED, S.APPLIED, _("Ghi nhận ứng dụng kết quả"), _ED, _needs_application),
    *[
        Move(src, S.STOPPED, _("Dừng thực hiện"), _ED)
        for src in (S.CONTRACTED, *_RUNNING, S.AWAITING_ACCEPTANCE)
    ],
    *[
        Move(src, S.CANCELLED, _("Hủy"), _ED)
        for src in (S.PROPOSED, S.LISTED, S.SELECTION, S.DIRECT, S.PLAN_APPROVED)
    ],
]
TRANSITIONS: dict[tuple[str, str], Move] = {(m.source, m.target): m for m in _TABLE}


def roles_of(user, task) -> set[str]:
    roles = set()
    if user is not None and user.is_authenticated:
        if user.is_editor:
            roles.add(EDITOR)
        if user.is_reporter_for(task.host_id):
            roles.add(HOST_REPORTER)
    return roles


def moves_from(status: str) -> list[Move]:
    return [move for move in _TABLE if move.source == status]


def available_moves(user, task) -> list[Move]:
    """The moves this user may offer on this task now (guards are checked on submit)."""
    roles = roles_of(user, task)
    return [move for move in moves_from(task.status) if move.roles & roles]


def check(user, task, target: str) -> Move:
    """Return the move, or raise TransitionError with a message that says why not."""
    label_from = S(task.status).label
    try:
        label_to = S(target).label
    except ValueError as unknown:
        raise TransitionError(
            _("Trạng thái “%(target)s” không tồn tại.") % {"target": target}
        ) from unknown
    move = TRANSITIONS.get((task.status, target))
    if move is None:
        allowed = ", ".join(str(S(m.target).label) for m in moves_from(task.status)) or str(
            _("không có")
        )
        raise TransitionError(
            _(
                "Không thể chuyển nhiệm vụ từ “%(src)s” sang “%(dst)s”. Các bước hợp lệ: %(allowed)s."
            )
            % {"src": label_from, "dst": label_to, "allowed": allowed}
        )
    if not (move.roles & roles_of(user, task)):
        raise TransitionError(
            _("Bạn không có quyền thực hiện bước “%(label)s” cho nhiệm vụ này.")
            % {"label": move.label},
            code="forbidden",
        )
    if move.guard is not None:
        problem = move.guard(task)
        if problem:
            raise TransitionError(
                _("Chưa thể thực hiện bước “%(label)s”: %(problem)s")
                % {"label": move.label, "problem": problem}
            )
    return move
