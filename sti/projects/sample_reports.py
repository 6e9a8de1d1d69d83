"""The library's sample reports told the same works differently from the task registry
(other investigators, hosts and years, a final report of a task still running, a public
report of a confidential one). After both samples are loaded, each report that bears a
sample task's title is made to agree with that task and linked to it:

- a completed task: its final report, by its principal and members, published by its host
  in the year of its acceptance;
- an ongoing task: a periodic progress report of the current phase, same people and host;
- a draft: the task's plan (thuyết minh), for center staff only, as is a confidential task's
  report.

Idempotent: a report already linked to its task is left as it is.
"""

from __future__ import annotations

from django.utils import timezone

from sti.core.text import fold_lower
from sti.library import services as library_services
from sti.library.choices import AccessLevel
from sti.library.models import Document
from sti.projects.choices import COMPLETED_STATES, DRAFT_STATES
from sti.projects.models import Task


def reconcile_reports(actor) -> int:
    """Align and link every sample report with its task; returns how many were changed."""
    reports = {
        fold_lower(document.title).rstrip("."): document
        for document in Document.objects.filter(call_number__startswith="MAU-", tasks=None)
    }
    changed = 0
    tasks = Task.objects.filter(code__startswith="CT.").select_related("host", "principal")
    for task in tasks.prefetch_related("members__researcher", "acceptances"):
        document = reports.get(fold_lower(task.title).rstrip("."))
        if document is None:
            continue
        library_services.update_document(
            actor,
            document,
            _described(task, document),
            creators=_people(task),
            note="Dữ liệu mẫu: thống nhất với hồ sơ nhiệm vụ",
        )
        task.documents.add(document)
        changed += 1
    return changed


def _people(task: Task) -> list[str]:
    members = sorted(task.members.all(), key=lambda member: member.order)
    names = [member.display_name for member in members]
    if not names and task.principal_display:
        names = [task.principal_display]
    return names


def _described(task: Task, document: Document) -> dict:
    host = task.host.name if task.host_id else ""
    if task.status in COMPLETED_STATES:
        accepted = max((a.date for a in task.acceptances.all()), default=task.planned_end)
        year = accepted.year
        abstract = (
            f"Báo cáo tổng hợp kết quả nhiệm vụ “{task.title.rstrip('.')}”. Nhiệm vụ do {host} "
            f"chủ trì, thực hiện từ năm {task.planned_start.year}, nghiệm thu ngày "
            f"{accepted:%d/%m/%Y}. Báo cáo trình bày tổng quan, phương pháp, kết quả và kiến nghị."
        )
    elif task.status in DRAFT_STATES:
        year = task.planned_start.year
        abstract = (
            f"Thuyết minh nhiệm vụ “{task.title.rstrip('.')}” do {host} đề xuất chủ trì, dự kiến "
            f"thực hiện {task.planned_start.year}–{task.planned_end.year}: mục tiêu, nội dung, "
            "phương pháp và sản phẩm dự kiến."
        )
    else:
        year = min(timezone.localdate().year, max(task.planned_start.year + 1, document.year or 0))
        abstract = (
            f"Báo cáo định kỳ tình hình thực hiện nhiệm vụ “{task.title.rstrip('.')}” do {host} "
            f"chủ trì ({task.planned_start.year}–{task.planned_end.year}): tiến độ, kết quả bước "
            "đầu và kiến nghị. Nhiệm vụ đang thực hiện, chưa nghiệm thu."
        )
    data = {"abstract": abstract, "publisher": host, "year": year}
    if task.status in DRAFT_STATES or task.is_confidential:
        data["access"], data["embargo_until"] = AccessLevel.STAFF, None
    return data
