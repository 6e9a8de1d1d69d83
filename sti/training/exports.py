"""The learners of a course as CSV, XLSX or JSON (the shared exporter). Only those who
manage the course reach it, so contact details are included."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

COLUMNS = [
    ("order", "STT"),
    ("full_name", "Họ và tên"),
    ("gender", "Giới tính"),
    ("organization_name", "Cơ quan, đơn vị"),
    ("organization_kind", "Loại hình cơ quan"),
    ("email", "Thư điện tử"),
    ("phone", "Điện thoại"),
    ("status", "Trạng thái"),
    ("registered_at", "Thời điểm đăng ký"),
    ("attended", "Số buổi tham dự"),
    ("certificate", "Số chứng nhận"),
]


def rows(course):
    registrations = (
        course.registrations.select_related("certificate")
        .annotate(attended=Count("attendances"))
        .order_by("status", "created_at", "id")
    )
    for order, registration in enumerate(registrations, 1):
        certificate = getattr(registration, "certificate", None)
        yield {
            "order": order,
            "full_name": registration.full_name,
            "gender": registration.get_gender_display(),
            "organization_name": registration.organization_name,
            "organization_kind": registration.get_organization_kind_display(),
            "email": registration.email,
            "phone": registration.phone,
            "status": registration.get_status_display(),
            "registered_at": timezone.localtime(registration.created_at).replace(tzinfo=None),
            "attended": registration.attended,
            "certificate": certificate.number if certificate else "",
        }
