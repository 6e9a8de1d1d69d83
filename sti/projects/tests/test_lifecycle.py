"""The task state machine: every move in the table, and refusals that change nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from sti.core.models import AuditEntry
from sti.core.statemachine import TransitionError
from sti.projects import lifecycle, services
from sti.projects.choices import AcceptanceRating, RegistrationStatus, TaskStatus
from sti.projects.models import Task, TaskTransition, registration_due_date


def test_full_lifecycle_records_every_step(editor, make_task):
    task = make_task(status=TaskStatus.PROPOSED)
    for target in (TaskStatus.LISTED, TaskStatus.DIRECT, TaskStatus.PLAN_APPROVED):
        services.transition_task(editor, task.pk, target, note="Quyết định số 12/QĐ-SKHCN")
    Task.objects.filter(pk=task.pk).update(contract_number="05/2023/HĐ-KHCN")
    for target in (
        TaskStatus.CONTRACTED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.EXTENDED,
        TaskStatus.AWAITING_ACCEPTANCE,
    ):
        services.transition_task(editor, task.pk, target)
    task.refresh_from_db()
    services.record_acceptance(
        editor, task, acceptance_date=date(2024, 11, 20), rating=AcceptanceRating.PASSED
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    assert task.registration.status == RegistrationStatus.NOT_SUBMITTED
    services.update_registration(editor, task, {"status": RegistrationStatus.SUBMITTED})
    services.update_registration(
        editor,
        task,
        {
            "status": RegistrationStatus.CERTIFIED,
            "certificate_number": "15/2024/GCN",
            "archive_number": "2024-15/KQNC",
        },
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.REGISTERED
    steps = list(TaskTransition.objects.filter(task=task).values_list("to_status", flat=True))
    assert steps[-1] == TaskStatus.REGISTERED and len(steps) == 9
    first = TaskTransition.objects.filter(task=task).first()
    assert first.actor == editor and first.note == "Quyết định số 12/QĐ-SKHCN"
    assert (
        AuditEntry.objects.filter(
            object_type="projects.task", object_id=str(task.pk), action="transition"
        ).count()
        == 9
    )


@pytest.mark.parametrize(
    "source,target",
    [
        (TaskStatus.PROPOSED, TaskStatus.IN_PROGRESS),
        (TaskStatus.IN_PROGRESS, TaskStatus.ACCEPTED),
        (TaskStatus.ACCEPTED, TaskStatus.PROPOSED),
        (TaskStatus.CANCELLED, TaskStatus.LISTED),
        (TaskStatus.LIQUIDATED, TaskStatus.IN_PROGRESS),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(editor, make_task, source, target):
    task = make_task(status=source)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(TransitionError) as refused:
        services.transition_task(editor, task.pk, target)
    assert "Không thể chuyển nhiệm vụ" in str(refused.value)
    assert str(TaskStatus(source).label) in str(refused.value)
    task.refresh_from_db()
    assert task.status == source
    assert not TaskTransition.objects.filter(task=task).exists()
    assert AuditEntry.objects.count() == audit_before


def test_every_table_move_is_between_known_states():
    for (source, target), move in lifecycle.TASK.transitions.items():
        assert source in TaskStatus.values and target in TaskStatus.values
        assert move.roles


def test_guards_explain_what_is_missing(editor, make_task):
    task = make_task(status=TaskStatus.PLAN_APPROVED, contract_number="")
    with pytest.raises(TransitionError, match="số hợp đồng"):
        services.transition_task(editor, task.pk, TaskStatus.CONTRACTED)
    waiting = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)
    with pytest.raises(TransitionError, match="nghiệm thu"):
        services.transition_task(editor, waiting.pk, TaskStatus.ACCEPTED)


def test_roles_host_reporter_may_submit_for_acceptance_but_not_approve(
    reporter_a, reporter_b, make_task
):
    task = make_task(status=TaskStatus.IN_PROGRESS)
    with pytest.raises(TransitionError) as refused:
        services.transition_task(reporter_b, task.pk, TaskStatus.AWAITING_ACCEPTANCE)
    assert refused.value.code == "forbidden"
    services.transition_task(reporter_a, task.pk, TaskStatus.AWAITING_ACCEPTANCE)
    with pytest.raises(TransitionError) as refused:
        services.transition_task(reporter_a, task.pk, TaskStatus.IN_PROGRESS)
    assert refused.value.code == "forbidden"


def test_failed_acceptance_and_registration_state_machine(editor, make_task):
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)
    services.record_acceptance(
        editor, task, acceptance_date=date(2024, 5, 2), rating=AcceptanceRating.FAILED
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.FAILED
    with pytest.raises(TransitionError):
        services.record_acceptance(
            editor, task, acceptance_date=date(2024, 5, 3), rating=AcceptanceRating.PASSED
        )
    ok = make_task(status=TaskStatus.ACCEPTED)
    with pytest.raises(TransitionError, match="hồ sơ đăng ký"):
        services.update_registration(
            editor, ok, {"status": RegistrationStatus.CERTIFIED, "certificate_number": "1/GCN"}
        )


def test_reporter_cannot_record_acceptance(reporter_a, make_task):
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)
    with pytest.raises(PermissionDenied):
        services.record_acceptance(
            reporter_a, task, acceptance_date=date(2024, 1, 1), rating=AcceptanceRating.PASSED
        )


def test_registration_due_date_is_30_days_or_60_with_ip():
    assert registration_due_date(date(2024, 1, 10), has_ip=False) == date(2024, 2, 9)
    assert registration_due_date(date(2024, 1, 10), has_ip=True) == date(2024, 3, 10)
    assert registration_due_date(None, has_ip=False) is None


def test_proposal_and_registration_tables_refuse_a_plain_member(
    editor, reporter_a, member_a, org_a, make_task
):
    from sti.core.statemachine import IllegalMove, MoveForbidden
    from sti.projects.choices import ProposalStatus
    from sti.projects.models import Proposal, ResultRegistration

    proposal = Proposal.objects.create(title="Đề xuất nuôi cá tra", organization=org_a)
    with pytest.raises(MoveForbidden):
        lifecycle.PROPOSAL.move(member_a, proposal, ProposalStatus.SUBMITTED)
    lifecycle.PROPOSAL.move(reporter_a, proposal, ProposalStatus.SUBMITTED)
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.submitted_at
    with pytest.raises(IllegalMove, match="Chưa tra cứu trùng lặp"):
        lifecycle.PROPOSAL.move(editor, proposal, ProposalStatus.SEARCHED)

    task = make_task(status=TaskStatus.ACCEPTED)
    registration = ResultRegistration.objects.create(task=task)
    with pytest.raises(MoveForbidden):
        lifecycle.REGISTRATION.move(member_a, registration, RegistrationStatus.SUBMITTED)
    with pytest.raises(MoveForbidden):  # the host reporter does not register results either
        lifecycle.REGISTRATION.move(reporter_a, registration, RegistrationStatus.SUBMITTED)


def test_a_refused_role_is_a_403_on_the_page_and_changes_nothing(client_for, make_task, member_a):
    """A plain member of the host may see an ongoing task but may not move it."""
    task = make_task(status=TaskStatus.IN_PROGRESS)
    response = client_for(member_a).post(
        f"/nhiem-vu/{task.pk}/chuyen-trang-thai/", {"target": TaskStatus.STOPPED, "note": "x"}
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
