"""Column list of the IP register's export (CSV / Excel / JSON by `sti.core.exports`).
Rows come from `Filing.objects.visible_to(user)`, so an export shows what the list shows."""

from __future__ import annotations

COLUMNS = [
    ("kind", "Loại đối tượng"),
    ("title", "Tên đối tượng"),
    ("application_number", "Số đơn"),
    ("filed_on", "Ngày nộp đơn"),
    ("applicant", "Chủ đơn"),
    ("status", "Trạng thái"),
    ("grant_number", "Số văn bằng"),
    ("granted_on", "Ngày cấp văn bằng"),
    ("task", "Mã nhiệm vụ"),
]


def rows(filings):
    """One dict per filing (the queryset selects the applicant and the task)."""
    for filing in filings.iterator(chunk_size=2000):
        yield {
            "kind": filing.get_kind_display(),
            "title": filing.title,
            "application_number": filing.application_number,
            "filed_on": filing.filed_on,
            "applicant": filing.applicant,
            "status": filing.get_status_display(),
            "grant_number": filing.grant_number,
            "granted_on": filing.granted_on,
            "task": filing.task.code if filing.task_id else "",
        }
