"""Fixtures of the task registry tests: tasks in given states, experts, the reset matrix."""

from datetime import date

import pytest

from sti.core.models import FieldOfScience, TaskLevel
from sti.projects.choices import TaskStatus
from sti.projects.models import Task
from sti.projects.similarity import duplicates as similarity


@pytest.fixture(autouse=True)
def fresh_similarity(settings, tmp_path):
    """Each test builds its own duplicate-check matrix under its own data folder."""
    settings.DATA_DIR = tmp_path / "data"
    similarity.reset()
    yield
    similarity.reset()


@pytest.fixture
def city_level(db):
    return TaskLevel.objects.get(code="tinh", version__is_current=True)


def field(code: str) -> FieldOfScience:
    return FieldOfScience.objects.current().get(code=code)


@pytest.fixture
def make_task(db, org_a, city_level):
    counter = {"n": 0}

    def make(status=TaskStatus.IN_PROGRESS, host=None, fields=("401",), **extra):
        counter["n"] += 1
        data = {
            "code": f"ĐT-{counter['n']:03d}",
            "title": f"Nghiên cứu chọn tạo giống lúa chịu mặn số {counter['n']}",
            "objectives": "Chọn tạo giống lúa thơm chịu mặn cho vùng ven biển.",
            "content": "Lai tạo, chọn lọc và khảo nghiệm giống lúa.",
            "host": host or org_a,
            "level": city_level,
            "status": status,
            "planned_start": date(2023, 1, 1),
            "planned_end": date(2024, 12, 31),
        }
        data.update(extra)
        task = Task.objects.create(**data)
        task.fields.set([field(code) for code in fields])
        return task

    return make
