"""Column lists of the task exports (JSON / CSV / Excel, written by `sti.core.exports`).

Public task data (ongoing tasks limited to the Art. 23 §2 fields), the Mẫu 1 data set
(ongoing tasks, editors) and the Mẫu 12 data set (application of results).
"""

from __future__ import annotations

from django.db.models import Max, Prefetch, Q

from sti.projects.access import disclosure
from sti.projects.choices import AcceptanceRating
from sti.projects.models import ResultApplication

PUBLIC_ONGOING_COLUMNS = [
    ("title", "Tên nhiệm vụ"),
    ("host", "Tổ chức chủ trì"),
    ("principal", "Chủ nhiệm"),
    ("objectives", "Mục tiêu"),
    ("content", "Nội dung chính"),
    ("fields", "Lĩnh vực"),
    ("methods", "Phương pháp"),
    ("expected_products", "Kết quả dự kiến"),
    ("planned_start", "Bắt đầu (dự kiến)"),
    ("planned_end", "Kết thúc (dự kiến)"),
    ("status", "Trạng thái"),
]
RESULT_COLUMNS = [
    ("code", "Mã số"),
    ("level", "Cấp"),
    ("form", "Hình thức"),
    ("abstract", "Tóm tắt kết quả"),
    ("accepted_on", "Ngày nghiệm thu"),
    ("rating", "Xếp loại"),
    ("archive_number", "Số hồ sơ lưu"),
]
FORM1_EXTRA = [
    ("code", "Mã số"),
    ("level", "Cấp"),
    ("form", "Hình thức"),
    ("research_type", "Loại hình nghiên cứu"),
    ("managing_agency", "Cơ quan chủ quản"),
    ("members", "Thành viên"),
    ("total_budget", "Tổng kinh phí (triệu đồng)"),
    ("state_budget", "Kinh phí NSNN (triệu đồng)"),
    ("decision_number", "Số quyết định"),
    ("contract_number", "Số hợp đồng"),
]
FORM12_COLUMNS = [
    ("code", "Mã số"),
    ("title", "Tên nhiệm vụ"),
    ("host", "Tổ chức chủ trì"),
    ("year", "Năm"),
    ("place", "Nơi ứng dụng"),
    ("form", "Hình thức ứng dụng"),
    ("scale", "Quy mô"),
    ("effect", "Hiệu quả KT-XH"),
]


def _task_rows(tasks, viewer) -> list[dict]:
    """One row per task with the fields `viewer` may read (the disclosure rule of access.py)."""
    passed = Q(acceptances__rating__in=[AcceptanceRating.PASSED, AcceptanceRating.EXCELLENT])
    tasks = (
        tasks.select_related("host", "principal", "level", "registration")
        .prefetch_related("fields", Prefetch("members"))
        .annotate(
            accepted_on=Max("acceptances__date", filter=passed),
            best_rating=Max("acceptances__rating"),
        )
    )
    rows = []
    for task in tasks:
        shown = disclosure(viewer, task)
        row = {
            "title": task.title,
            "host": task.host.name,
            "principal": task.principal_display,
            "objectives": task.objectives,
            "content": task.content,
            "fields": "; ".join(f.code for f in task.fields.all()),
            "methods": task.methods,
            "expected_products": task.expected_products,
            "planned_start": task.planned_start,
            "planned_end": task.planned_end,
            "status": str(task.get_status_display()),
        }
        if shown.results:
            registration = getattr(task, "registration", None)
            row.update(
                {
                    "code": task.code,
                    "level": task.level.name if task.level_id else "",
                    "form": str(task.get_form_display()),
                    "abstract": task.abstract,
                    "accepted_on": task.accepted_on,
                    "rating": str(AcceptanceRating(task.best_rating).label)
                    if task.best_rating
                    else "",
                    "archive_number": registration.archive_number if registration else "",
                }
            )
        if shown.full:
            row.update(
                {
                    "research_type": str(task.get_research_type_display()),
                    "managing_agency": task.managing_agency,
                    "members": "; ".join(
                        f"{m.display_name} ({m.get_role_display()})" for m in task.members.all()
                    ),
                    "total_budget": task.total_budget,
                    "state_budget": task.state_budget,
                    "decision_number": task.decision_number,
                    "contract_number": task.contract_number,
                }
            )
        rows.append(row)
    return rows


def public_dataset(tasks):
    """Public tasks as an anonymous visitor reads them: Art. 23 §2 fields for all, results
    for the completed ones."""
    return PUBLIC_ONGOING_COLUMNS + RESULT_COLUMNS, _task_rows(tasks.visible_to(None), None)


def form1_dataset(tasks, viewer):
    """Mẫu 1: ongoing tasks with every field the viewer may read (for the national database;
    the view lets editors only, who read every field)."""
    return PUBLIC_ONGOING_COLUMNS + FORM1_EXTRA, _task_rows(
        tasks.visible_to(viewer).ongoing(), viewer
    )


def form12_dataset(year: int | None = None):
    applications = ResultApplication.objects.select_related("task__host").order_by(
        "task__code", "year"
    )
    if year:
        applications = applications.filter(year=year)
    rows = [
        {
            "code": a.task.code,
            "title": a.task.title,
            "host": a.task.host.name,
            "year": a.year,
            "place": a.place,
            "form": str(a.get_form_display()),
            "scale": a.scale,
            "effect": a.effect,
        }
        for a in applications
    ]
    return FORM12_COLUMNS, rows
