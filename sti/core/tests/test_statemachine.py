"""The shared state-machine code, tried through a real table (the task lifecycle) and a small
table of its own: allowed and refused roles, guards, the locking writer, audit and transition
rows, and the API's 403/409."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sti.accounts.tokens import create_token
from sti.core.models import AuditEntry
from sti.core.statemachine import (
    SYSTEM,
    IllegalMove,
    Move,
    MoveForbidden,
    StateMachine,
    TransitionError,
    moves,
)
from sti.projects.choices import TaskStatus
from sti.projects.lifecycle import TASK
from sti.projects.models import Task, TaskTransition


@pytest.fixture
def task(db, org_a):
    return Task.objects.create(
        code="ĐT-001",
        title="Nghiên cứu quy trình nuôi tôm càng xanh toàn đực ở Đồng Tháp",
        host=org_a,
        status=TaskStatus.IN_PROGRESS,
        planned_start=date(2023, 1, 1),
        planned_end=date(2024, 12, 31),
    )


def _transitions(task):
    return AuditEntry.objects.filter(
        object_type="projects.task", object_id=str(task.pk), action="transition"
    )


def test_allowed_role_moves_and_records_transition_and_audit_rows(editor, task):
    moved = TASK.move(editor, task, TaskStatus.EXTENDED, note="Gia hạn đến tháng 6/2025")
    assert moved.status == TaskStatus.EXTENDED
    assert task.status == TaskStatus.EXTENDED  # the caller's instance sees the new state
    row = TaskTransition.objects.get(task=task)
    assert (row.from_status, row.to_status, row.actor) == (
        TaskStatus.IN_PROGRESS,
        TaskStatus.EXTENDED,
        editor,
    )
    assert row.note == "Gia hạn đến tháng 6/2025"
    entry = _transitions(task).get()
    assert entry.actor == editor
    assert entry.changes == {"status": [TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED]}
    assert entry.note == "Gia hạn. Gia hạn đến tháng 6/2025"


def test_host_reporter_holds_a_role_a_plain_member_does_not(reporter_a, member_a, task):
    assert {m.target for m in TASK.available_moves(member_a, task)} == set()
    with pytest.raises(MoveForbidden) as refused:
        TASK.move(member_a, task, TaskStatus.AWAITING_ACCEPTANCE)
    assert refused.value.code == "forbidden" and refused.value.status == 403
    assert isinstance(refused.value, PermissionDenied)
    assert "không có quyền" in str(refused.value)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert not TaskTransition.objects.exists() and not _transitions(task).exists()

    TASK.move(reporter_a, task, TaskStatus.AWAITING_ACCEPTANCE)
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE


@pytest.mark.parametrize("who", ["anonymous", "registered", "reporter_b", "expert_user"])
def test_refused_roles(request, who, task):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(MoveForbidden):
        TASK.move(user, task, TaskStatus.EXTENDED)


def test_illegal_move_and_failed_guard_are_409_and_change_nothing(editor, task):
    with pytest.raises(IllegalMove) as illegal:
        TASK.move(editor, task, TaskStatus.LIQUIDATED)
    assert illegal.value.status == 409 and isinstance(illegal.value, ValidationError)
    assert "Không thể chuyển nhiệm vụ từ “Đang thực hiện” sang “Đã thanh lý”" in str(illegal.value)
    TASK.move(editor, task, TaskStatus.AWAITING_ACCEPTANCE)
    with pytest.raises(IllegalMove, match="Cần ghi nhận kết quả nghiệm thu"):
        TASK.move(editor, task, TaskStatus.ACCEPTED)
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE
    assert _transitions(task).count() == 1
    with pytest.raises(IllegalMove, match="không tồn tại"):
        TASK.move(editor, task, "khong-co")


def test_concurrent_move_reads_the_locked_row_not_the_callers_copy(editor, task):
    """Two editors opened the same task; the second one's move is checked against the state
    the first one wrote, not against the stale page they submitted from."""
    first, second = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    TASK.move(editor, first, TaskStatus.STOPPED)
    assert second.status == TaskStatus.IN_PROGRESS  # stale copy
    with pytest.raises(IllegalMove, match="Dừng thực hiện"):
        TASK.move(editor, second, TaskStatus.EXTENDED)
    assert TaskTransition.objects.filter(task=task).count() == 1


def test_writer_locks_the_row(editor, task):
    with CaptureQueriesContext(connection) as queries:
        TASK.move(editor, task.pk, TaskStatus.EXTENDED)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    if connection.features.has_select_for_update:  # SQLite locks the whole database instead
        assert "FOR UPDATE" in reads[0]


def test_table_rejects_unknown_states_and_worker_holds_only_system(editor, task):
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine(
            model=Task,
            states=TaskStatus,
            noun="x",
            table=[Move(TaskStatus.PROPOSED, "nowhere", "x")],
            roles=lambda user, obj: set(),
        )
    machine = StateMachine(
        model=Task,
        states=TaskStatus,
        noun="nhiệm vụ",
        table=moves([TaskStatus.IN_PROGRESS], TaskStatus.EXTENDED, "Gia hạn", {SYSTEM}),
        roles=lambda user, obj: {"editor"} if user.is_editor else set(),
    )
    with pytest.raises(MoveForbidden):
        machine.move(editor, task, TaskStatus.EXTENDED)
    machine.move(None, task, TaskStatus.EXTENDED)
    assert _transitions(task).get().actor is None


def test_api_answers_403_for_a_refused_role_and_409_for_a_failed_guard(
    client_for, editor, member_a, task
):
    def post(user, target):
        return client_for(None).post(
            f"/api/projects/tasks/{task.pk}/transition",
            {"target": target},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'kịch bản')}",
        )

    refused = post(member_a, TaskStatus.EXTENDED)
    assert refused.status_code == 403 and "không có quyền" in refused.json()["detail"]
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.PLAN_APPROVED, contract_number="")
    guarded = post(editor, TaskStatus.CONTRACTED)
    assert guarded.status_code == 409 and "số hợp đồng" in guarded.json()["detail"]


def test_transition_error_is_the_base_of_both():
    assert issubclass(IllegalMove, TransitionError) and issubclass(MoveForbidden, TransitionError)


def test_a_move_may_use_a_permission_predicate_instead_of_roles(reporter_a, member_a, task):
    machine = StateMachine(
        model=Task,
        states=TaskStatus,
        noun="nhiệm vụ",
        table=moves(
            [TaskStatus.IN_PROGRESS],
            TaskStatus.EXTENDED,
            "Gia hạn",
            allow=lambda user, obj: user.is_reporter_for(obj.host_id),
        ),
        roles=lambda user, obj: set(),
    )
    assert machine.available_moves(member_a, task) == []
    with pytest.raises(MoveForbidden):
        machine.move(member_a, task, TaskStatus.EXTENDED)
    machine.move(reporter_a, task, TaskStatus.EXTENDED)
    assert task.status == TaskStatus.EXTENDED
