"""What the task registry puts in the search index.

A public task is indexed for everyone; its body holds only the fields TT 14/2014 Art. 23 §2
allows while it is ongoing, and the results (code, abstract) once completed (the disclosure
rule of `access.py`). Who finds a task is `TaskQuerySet.access_rule`, applied by the search
registry: drafts and confidential tasks are found only by editors and the host organization's
reporters.
"""

from django.utils.translation import gettext_lazy as _

from sti.directory.models import Organization
from sti.projects.access import disclosure
from sti.projects.models import Task
from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register


def task_document(task: Task) -> SearchDocument:
    parts = [
        task.host.name,
        task.principal_display,
        task.objectives,
        task.content,
        task.methods,
        task.expected_products,
    ]
    # The index is shared by every viewer of the task: it holds what the public may read.
    if disclosure(None, task).results:
        parts += [task.code, task.abstract]
    group = "completed" if task.is_completed else "ongoing" if task.is_ongoing else "other"
    tags = [("status", group)]
    if task.level_id:
        tags.append(("level", task.level.code))
    return SearchDocument(
        type="task",
        pk=str(task.pk),
        title=task.title,
        body="\n".join(part for part in parts if part),
        url=task.get_absolute_url(),
        subtitle=task.host.name,
        fields=[field.code for field in task.fields.all()],
        year=task.planned_start.year if task.planned_start else None,
        date=task.updated_at,
        tags=tags,
    )


register(
    IndexSpec(
        type="task",
        label=_("Nhiệm vụ KH&CN"),
        model=Task,
        queryset=lambda: Task.objects.select_related("host", "principal", "level").prefetch_related(
            "fields"
        ),
        to_document=task_document,
        dependencies={
            Organization: lambda org: list(org.hosted_tasks.values_list("pk", flat=True))
        },
        icon="bi-clipboard-data",
    )
)
