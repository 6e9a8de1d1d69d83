"""The audit trail of task-registry writes holds the many-to-many fields too."""

from sti.core.models import AuditEntry, FieldOfScience
from sti.projects import services


def test_task_fields_changes_are_audited(editor, make_task):
    task = make_task(fields=("401",))
    new_fields = list(FieldOfScience.objects.current().filter(code__in=["405", "106"]))
    services.update_task(editor, task, {"title": "Đánh giá đất phèn Đồng Tháp"}, fields=new_fields)
    entry = AuditEntry.objects.filter(object_type="projects.task", action="update").get()
    assert entry.changes["fields"] == [["401"], ["106", "405"]]
    assert entry.changes["title"][1] == "Đánh giá đất phèn Đồng Tháp"


def test_created_task_records_its_fields(editor, org_a, city_level):
    fields = list(FieldOfScience.objects.current().filter(code__in=["401"]))
    task = services.create_task(
        editor, {"title": "Đê bao", "host": org_a, "level": city_level}, fields=fields
    )
    entry = AuditEntry.objects.get(object_type="projects.task", object_id=str(task.pk))
    assert entry.changes["__new__"]["fields"] == ["401"]
