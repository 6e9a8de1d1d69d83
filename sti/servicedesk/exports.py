"""Spreadsheet exports of the service desk (shared exporter `sti.core.exports`): the request
list and the monthly statistics. Callers pass querysets already filtered by `visible_to`;
internal notes are never exported."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REQUEST_COLUMNS = [
    ("reference", _("Số yêu cầu")),
    ("kind", _("Dịch vụ")),
    ("subject", _("Tiêu đề")),
    ("requester", _("Người yêu cầu")),
    ("organization", _("Cơ quan, doanh nghiệp")),
    ("status", _("Trạng thái")),
    ("assignee", _("Cán bộ xử lý")),
    ("received", _("Ngày tiếp nhận")),
    ("due_on", _("Hạn trả lời")),
    ("answered", _("Ngày trả lời")),
    ("response_days", _("Số ngày trả lời")),
    ("rating", _("Mức hài lòng")),
]

MONTH_COLUMNS = [
    ("month", _("Tháng")),
    ("kind", _("Dịch vụ")),
    ("received", _("Số yêu cầu")),
    ("answered", _("Đã trả lời")),
    ("median", _("Trung vị (ngày)")),
    ("p90", _("P90 (ngày)")),
]


def _date(value):
    return timezone.localtime(value).date() if value else None


def request_rows(requests):
    for r in requests.select_related("assignee"):
        days = r.response_days
        yield {
            "reference": r.reference,
            "kind": r.get_kind_display(),
            "subject": r.subject,
            "requester": r.requester_name,
            "organization": r.requester_organization,
            "status": r.get_status_display(),
            "assignee": str(r.assignee) if r.assignee else "",
            "received": _date(r.received_at),
            "due_on": r.due_on,
            "answered": _date(r.first_answered_at),
            "response_days": None if days is None else round(days, 1),
            "rating": r.rating,
        }


def month_rows(figures):
    for row in figures.months:
        yield {
            "month": row.month,
            "kind": row.label,
            "received": row.received,
            "answered": row.times.count,
            "median": None if row.times.median is None else round(row.times.median, 1),
            "p90": None if row.times.p90 is None else round(row.times.p90, 1),
        }
