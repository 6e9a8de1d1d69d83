"""Tasks shown on the detail pages of other apps (registered in `ProjectsConfig.ready()`):
a researcher's tasks, an organization's tasks, the tasks a library document reports on.
Each reads through `Task.objects.visible_to(user)`, in one query."""

from __future__ import annotations

from sti.core.registries import RelatedLink
from sti.projects.models import Task

LIMIT = 20


def _links(tasks) -> list[RelatedLink]:
    return [
        RelatedLink(
            task.title.rstrip("."),
            task.get_absolute_url(),
            " · ".join(part for part in (task.code, task.get_status_display()) if part),
        )
        for task in tasks.order_by("-planned_start", "-pk")[:LIMIT]
    ]


def researcher_led(researcher, user) -> list[RelatedLink]:
    return _links(Task.objects.visible_to(user).filter(principal=researcher))


def researcher_joined(researcher, user) -> list[RelatedLink]:
    tasks = (
        Task.objects.visible_to(user)
        .filter(members__researcher=researcher)
        .exclude(principal=researcher)
        .distinct()
    )
    return _links(tasks)


def organization_hosted(organization, user) -> list[RelatedLink]:
    return _links(Task.objects.visible_to(user).filter(host=organization))


def document_tasks(document, user) -> list[RelatedLink]:
    return _links(Task.objects.visible_to(user).filter(documents=document).distinct())
