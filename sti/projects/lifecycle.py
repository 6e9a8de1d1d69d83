"""The state tables of the task registry, on the shared state-machine code (core.statemachine).

- `TASK`: the lifecycle of an S&T task (DOMAIN.md §1.4, §4; Law 29/2013 Art. 25–43);
- `PROPOSAL`: nháp → đã nộp → tra cứu → tư vấn → đặt hàng | không chọn;
- `REGISTRATION`: result registration (Mẫu 5): chưa nộp → đã nộp → bổ sung → đã cấp GCN.
(IP filings moved to the IP register, `sti.ip.lifecycle`.)

Anything not in a table is illegal; each machine's `move` is the only writer of its state.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import SYSTEM, Move, StateMachine, moves
from sti.core.text import normalize
from sti.projects.choices import ProposalStatus, RegistrationStatus
from sti.projects.choices import TaskStatus as S
from sti.projects.models import Proposal, ResultRegistration, Task, TaskTransition

EDITOR = "editor"
HOST_REPORTER = "host_reporter"
PROPOSER = "proposer"


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------
def _needs_contract(task, context) -> str:
    if not task.contract_number:
        return str(_("Cần nhập số hợp đồng trước khi ghi nhận ký hợp đồng."))
    return ""


def _needs_acceptance(rating_group: tuple[str, ...]):
    def guard(task, context) -> str:
        latest = task.acceptances.order_by("-date", "-id").first()
        if latest is None or latest.rating not in rating_group:
            return str(
                _("Cần ghi nhận kết quả nghiệm thu (ngày, hội đồng, xếp loại) tương ứng trước.")
            )
        return ""

    return guard


def _needs_certificate(task, context) -> str:
    registration = getattr(task, "registration", None)
    if registration is None or not registration.certificate_number:
        return str(
            _("Cần có giấy chứng nhận đăng ký kết quả trước khi chuyển sang trạng thái này.")
        )
    return ""


def _needs_application(task, context) -> str:
    if not task.applications.exists():
        return str(_("Cần ghi nhận ít nhất một báo cáo ứng dụng kết quả (Mẫu 12)."))
    return ""


_ED = frozenset({EDITOR})
_ED_HOST = frozenset({EDITOR, HOST_REPORTER})
_RUNNING = (S.IN_PROGRESS, S.ADJUSTED, S.EXTENDED)

_TASK_TABLE: list[Move] = [
    *moves([S.PROPOSED], S.LISTED, _("Phê duyệt danh mục"), _ED),
    *moves([S.LISTED], S.SELECTION, _("Tổ chức tuyển chọn / xét chọn"), _ED),
    *moves([S.LISTED], S.DIRECT, _("Giao trực tiếp"), _ED),
    *moves([S.SELECTION, S.DIRECT], S.PLAN_APPROVED, _("Phê duyệt thuyết minh và kinh phí"), _ED),
    *moves([S.PLAN_APPROVED], S.CONTRACTED, _("Ký hợp đồng"), _ED, _needs_contract),
    *moves([S.CONTRACTED], S.IN_PROGRESS, _("Bắt đầu thực hiện"), _ED_HOST),
    *moves([S.IN_PROGRESS, S.EXTENDED], S.ADJUSTED, _("Điều chỉnh nội dung, kinh phí"), _ED),
    *moves([S.IN_PROGRESS, S.ADJUSTED], S.EXTENDED, _("Gia hạn"), _ED),
    *moves([S.ADJUSTED, S.EXTENDED], S.IN_PROGRESS, _("Tiếp tục thực hiện"), _ED),
    *moves(_RUNNING, S.AWAITING_ACCEPTANCE, _("Nộp hồ sơ nghiệm thu"), _ED_HOST),
    *moves([S.AWAITING_ACCEPTANCE], S.IN_PROGRESS, _("Trả hồ sơ, tiếp tục thực hiện"), _ED),
    *moves(
        [S.AWAITING_ACCEPTANCE],
        S.ACCEPTED,
        _("Nghiệm thu đạt"),
        _ED,
        _needs_acceptance(("xuat_sac", "dat")),
    ),
    *moves(
        [S.AWAITING_ACCEPTANCE],
        S.FAILED,
        _("Nghiệm thu không đạt"),
        _ED,
        _needs_acceptance(("khong_dat",)),
        confirm=_("Kết luận nghiệm thu không đạt là không thể hoàn tác."),
    ),
    *moves(
        [S.ACCEPTED],
        S.REGISTERED,
        _("Cấp giấy chứng nhận đăng ký kết quả"),
        _ED,
        _needs_certificate,
    ),
    *moves([S.REGISTERED, S.FAILED], S.LIQUIDATED, _("Thanh lý hợp đồng"), _ED),
    *moves([S.LIQUIDATED], S.APPLIED, _("Ghi nhận ứng dụng kết quả"), _ED, _needs_application),
    *moves(
        [S.CONTRACTED, *_RUNNING, S.AWAITING_ACCEPTANCE],
        S.STOPPED,
        _("Dừng thực hiện"),
        _ED,
        confirm=_("Dừng thực hiện là quyết định cuối cùng: nhiệm vụ không thể tiếp tục sau đó."),
    ),
    *moves(
        [S.PROPOSED, S.LISTED, S.SELECTION, S.DIRECT, S.PLAN_APPROVED],
        S.CANCELLED,
        _("Hủy"),
        _ED,
        confirm=_("Hủy nhiệm vụ là không thể hoàn tác."),
    ),
]


def task_roles(user, task) -> set[str]:
    roles = set()
    if user.is_editor:
        roles.add(EDITOR)
    if user.is_reporter_for(task.host_id):
        roles.add(HOST_REPORTER)
    return roles


def _task_dates(task, move, context) -> None:
    today = context.get("effective_date") or timezone.localdate()
    context["effective_date"] = today
    if move.target == S.IN_PROGRESS and move.source == S.CONTRACTED and not task.actual_start:
        task.actual_start = today
    if move.target in (S.ACCEPTED, S.FAILED) and not task.actual_end:
        task.actual_end = today


def _task_transition_row(task, move, actor, context) -> None:
    TaskTransition.objects.create(
        task=task,
        from_status=move.source,
        to_status=move.target,
        actor=actor if actor is not None and actor.is_authenticated else None,
        effective_date=context["effective_date"],
        note=normalize(context["note"]),
    )


TASK = StateMachine(
    model=Task,
    states=S,
    noun=_("nhiệm vụ"),
    table=_TASK_TABLE,
    roles=task_roles,
    on_move=_task_dates,
    record_transition=_task_transition_row,
)


# ---------------------------------------------------------------------------
# Proposals
# ---------------------------------------------------------------------------
def proposal_roles(user, proposal) -> set[str]:
    roles = {EDITOR} if user.is_editor else set()
    if proposal.proposer_id == user.pk or user.is_reporter_for(proposal.organization_id):
        roles.add(PROPOSER)
    return roles


def _was_checked(proposal, context) -> str:
    if proposal.checked_at is None:
        return str(_("Chưa tra cứu trùng lặp."))
    return ""


def _proposal_fields(proposal, move, context) -> None:
    if move.target == ProposalStatus.SUBMITTED:
        proposal.submitted_at = timezone.now()
    elif move.target != ProposalStatus.SEARCHED:
        proposal.review_note = normalize(context["note"])


P = ProposalStatus
# The duplicate check runs as the proposer, an editor, or the worker after a rebuild.
_ANY = frozenset({EDITOR, PROPOSER, SYSTEM})
PROPOSAL = StateMachine(
    model=Proposal,
    states=P,
    noun=_("đề xuất"),
    table=[
        Move(P.DRAFT, P.SUBMITTED, _("Nộp đề xuất"), frozenset({EDITOR, PROPOSER})),
        *moves([P.SUBMITTED], P.SEARCHED, _("Tra cứu trùng lặp"), _ANY, _was_checked),
        *moves((P.SEARCHED,), P.ADVISED, _("Tư vấn"), _ED),
        *moves((P.ADVISED,), P.ORDERED, _("Đặt hàng"), _ED),
        *moves(
            (P.SEARCHED, P.ADVISED),
            P.REJECTED,
            _("Không chọn"),
            _ED,
            confirm=_("Đề xuất không được chọn sẽ không thể đặt hàng lại."),
        ),
    ],
    roles=proposal_roles,
    on_move=_proposal_fields,
)


# ---------------------------------------------------------------------------
# Result registrations (Mẫu 5)
# ---------------------------------------------------------------------------
def editor_roles(user, obj) -> set[str]:
    return {EDITOR} if user.is_editor else set()


def _needs_certificate_number(registration, context) -> str:
    if not registration.certificate_number:
        return str(_("Cần nhập số giấy chứng nhận khi cấp GCN."))
    return ""


def _registration_dates(registration, move, context) -> None:
    today = timezone.localdate()
    if move.target == RegistrationStatus.SUBMITTED and not registration.submitted_on:
        registration.submitted_on = today
    if move.target == RegistrationStatus.CERTIFIED and not registration.issued_on:
        registration.issued_on = today


R = RegistrationStatus
REGISTRATION = StateMachine(
    model=ResultRegistration,
    states=R,
    noun=_("hồ sơ đăng ký"),
    table=[
        Move(R.NOT_SUBMITTED, R.SUBMITTED, _("Nộp hồ sơ đăng ký"), _ED),
        Move(R.SUBMITTED, R.SUPPLEMENT, _("Yêu cầu bổ sung"), _ED),
        Move(R.SUPPLEMENT, R.SUBMITTED, _("Nộp bổ sung"), _ED),
        *moves(
            [R.SUBMITTED], R.CERTIFIED, _("Cấp giấy chứng nhận"), _ED, _needs_certificate_number
        ),
    ],
    roles=editor_roles,
    on_move=_registration_dates,
)
