"""Fixtures of the alerts tests: records of several types and access levels, all matching
one saved search ("lúa chịu mặn"), built through the apps' own services and models."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sti.core.models import FieldOfScience, TaskLevel

_numbers = itertools.count(1)


@dataclass
class Record:
    type: str
    obj: object

    @property
    def uid(self) -> str:
        return f"{self.type}:{self.obj.pk}"

    @property
    def title(self) -> str:
        return self.obj.title


@pytest.fixture
def with_emails(registered, member_a, reporter_a, reporter_b, editor):
    """The personas with e-mail addresses (digests go to those who have one)."""
    for user in (registered, member_a, reporter_a, reporter_b, editor):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return {u.username: u for u in (registered, member_a, reporter_a, reporter_b, editor)}


@pytest.fixture
def make_library_document(editor):
    from sti.library import services

    def make(title, *, access="public", fields=("401",), **data):
        data.update(title=title, access=access, source_type="report", year=2025, language="vie")
        fields = list(FieldOfScience.objects.current().filter(code__in=fields))
        return Record("document", services.create_document(editor, data, fields=fields))

    return make


@pytest.fixture
def make_project_task(db, org_a):
    from sti.projects.choices import TaskStatus
    from sti.projects.models import Task

    def make(title, *, host=None, status=TaskStatus.IN_PROGRESS, fields=("401",), **extra):
        task = Task.objects.create(
            code=f"ĐT-AL-{next(_numbers):03d}",
            title=title,
            objectives="Chọn tạo giống lúa chịu mặn cho vùng ven biển.",
            host=host or org_a,
            level=TaskLevel.objects.get(code="tinh", version__is_current=True),
            status=status,
            planned_start=date(2025, 1, 1),
            planned_end=date(2026, 12, 31),
            **extra,
        )
        task.fields.set(FieldOfScience.objects.current().filter(code__in=fields))
        return Record("task", task)

    return make


@pytest.fixture
def salt_rice_world(run_on_commit, make_library_document, make_project_task, org_a, org_b):
    """Seven records about salt-tolerant rice, each seen by a different set of personas,
    indexed after their commit as in production."""
    from sti.projects.choices import TaskStatus

    with run_on_commit():
        records = {
            "public_doc": make_library_document("Giống lúa chịu mặn OM5451: báo cáo tổng kết"),
            "registered_doc": make_library_document(
                "Kỹ thuật canh tác lúa chịu mặn dành cho thành viên", access="registered"
            ),
            "staff_doc": make_library_document("Số liệu nội bộ về lúa chịu mặn", access="staff"),
            "embargoed_doc": make_library_document(
                "Luận án lúa chịu mặn chưa công bố",
                access="embargoed",
                embargo_until=timezone.localdate() + timedelta(days=60),
            ),
            "public_task": make_project_task("Khảo nghiệm lúa chịu mặn tại Cần Thơ", host=org_b),
            "confidential_task": make_project_task(
                "Nhiệm vụ mật: lúa chịu mặn biến đổi gen", is_confidential=True
            ),
            "draft_task": make_project_task(
                "Đề xuất: lúa chịu mặn cho Sóc Trăng", status=TaskStatus.PROPOSED
            ),
        }
    return records
