"""REST API of the task registry (mounted at /api/projects/).

Reads go through `Task.objects.visible_to(user)` with the list page's FilterSet; a viewer
who may not see the full record of an ongoing task gets only the TT 14/2014 Art. 23 §2
fields. The transition endpoint needs a bearer token; an illegal move answers 409 and a
move the user may not make 403, both with the same Vietnamese message as the page, and
nothing changes.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import ApiError, OffsetWindow, PayloadSchema, filter_schema, filtered
from sti.projects import services
from sti.projects.access import Disclosure, disclosure
from sti.projects.filters import TaskFilterSet
from sti.projects.models import ResultApplication, Task, TaskMember

router = Router(tags=["projects"])
MAX_LIMIT = 200


TaskFilterParams = filter_schema(TaskFilterSet, "TaskFilterParams")


class TaskOut(Schema):
    id: int
    title: str
    host: str
    principal: str
    objectives: str
    content: str
    methods: str
    expected_products: str
    fields: list[str]
    planned_start: date | None
    planned_end: date | None
    status: str
    status_label: str
    url: str
    # Published for completed tasks and shown in full to staff and the host organization.
    code: str | None = None
    level: str | None = None
    form: str | None = None
    abstract: str | None = None
    archive_number: str | None = None
    total_budget: float | None = None
    state_budget: float | None = None
    decision_number: str | None = None
    contract_number: str | None = None
    members: list[str] | None = None


class TaskPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[TaskOut]


class TransitionIn(PayloadSchema):
    target: str
    note: str = ""
    effective_date: date | None = None


class ApplicationOut(Schema):
    task_id: int
    task_code: str
    task_title: str
    year: int
    place: str
    form: str
    form_label: str
    scale: str
    effect: str


def task_payload(task: Task, shown: Disclosure) -> dict:
    data = {
        "id": task.pk,
        "title": task.title,
        "host": task.host.name,
        "principal": task.principal_display,
        "objectives": task.objectives,
        "content": task.content,
        "methods": task.methods,
        "expected_products": task.expected_products,
        "fields": [f.code for f in task.fields.all()],
        "planned_start": task.planned_start,
        "planned_end": task.planned_end,
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "url": task.get_absolute_url(),
    }
    if shown.results:
        registration = getattr(task, "registration", None)
        data.update(
            code=task.code,
            level=task.level.name if task.level_id else None,
            form=task.form,
            abstract=task.abstract,
            archive_number=registration.archive_number if registration else None,
        )
    if shown.full:
        data.update(
            total_budget=float(task.total_budget) if task.total_budget is not None else None,
            state_budget=float(task.state_budget) if task.state_budget is not None else None,
            decision_number=task.decision_number,
            contract_number=task.contract_number,
            members=[f"{m.display_name} ({m.get_role_display()})" for m in task.members.all()],
        )
    return data


def _queryset(user):
    return (
        Task.objects.visible_to(user)
        .select_related("host", "principal", "level", "registration")
        .prefetch_related(
            "fields", Prefetch("members", queryset=TaskMember.objects.select_related("researcher"))
        )
    )


@router.get(
    "/tasks", response=TaskPage, summary="Danh sách nhiệm vụ KH&CN (lọc như trang danh sách)"
)
def list_tasks(request, filters: Query[TaskFilterParams], window: Query[OffsetWindow]):
    user = optional_user(request)
    filterset = TaskFilterSet(
        request.GET, queryset=_queryset(user).order_by("-planned_start", "-id"), viewer=user
    )
    queryset = filtered(filterset)
    offset, limit = window.offset, min(window.limit, MAX_LIMIT)
    items = [
        task_payload(task, disclosure(user, task)) for task in queryset[offset : offset + limit]
    ]
    return {"count": queryset.count(), "offset": offset, "limit": limit, "items": items}


@router.get("/tasks/{task_id}", response=TaskOut, summary="Một nhiệm vụ")
def get_task(request, task_id: int):
    user = optional_user(request)
    task = _queryset(user).filter(pk=task_id).first()
    if task is None:
        raise ApiError(404, _("Không tìm thấy nhiệm vụ."))
    return task_payload(task, disclosure(user, task))


@router.post(
    "/tasks/{task_id}/transition",
    auth=token_auth,
    response=TaskOut,
    summary="Chuyển trạng thái nhiệm vụ (chỉ các bước hợp lệ)",
)
def transition(request, task_id: int, payload: TransitionIn):
    user = request.auth
    if not Task.objects.visible_to(user).filter(pk=task_id).exists():
        raise ApiError(404, _("Không tìm thấy nhiệm vụ."))
    # A refused move answers 403 or 409 through the API's TransitionError handler.
    services.transition_task(
        user, task_id, payload.target, note=payload.note, effective_date=payload.effective_date
    )
    task = _queryset(user).get(pk=task_id)
    return task_payload(task, disclosure(user, task))


@router.get(
    "/applications",
    response=list[ApplicationOut],
    summary="Ứng dụng kết quả (Mẫu 12) của các nhiệm vụ được xem",
)
def list_applications(request, year: int | None = None, task_id: int | None = None):
    user = optional_user(request)
    applications = ResultApplication.objects.filter(
        task__in=Task.objects.visible_to(user)
    ).select_related("task")
    if year:
        applications = applications.filter(year=year)
    if task_id:
        applications = applications.filter(task_id=task_id)
    return [
        {
            "task_id": a.task_id,
            "task_code": a.task.code,
            "task_title": a.task.title,
            "year": a.year,
            "place": a.place,
            "form": a.form,
            "form_label": str(a.get_form_display()),
            "scale": a.scale,
            "effect": a.effect,
        }
        for a in applications.order_by("-year", "task__code")[:1000]
    ]
