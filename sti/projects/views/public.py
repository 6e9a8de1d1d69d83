"""Public pages: the task list with filters, a task, an expert's council history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from sti.accounts.access import get_visible_or_404
from sti.core.models import with_field_list
from sti.core.registries import related_sections
from sti.directory.models import Researcher
from sti.projects import lifecycle, services
from sti.projects.access import disclosure, get_task_for_user, sees_evaluations
from sti.projects.filters import TaskFilterSet
from sti.projects.forms import TransitionForm
from sti.projects.models import CouncilMember, Task, registration_due_date

# What a row of the task list shows (projects/task_list.html), and nothing else: a task, its
# host and principal have some 75 columns together, and reading and converting them all made
# up a quarter of the page's time. A column missing here costs one query per row, which the
# query-count pins (tests/test_query_counts.py) catch.
LIST_COLUMNS = (
    "code", "title", "status", "is_confidential", "planned_start", "planned_end",
    "principal_name", "host__name", "level__name", "level__name_en",
    "principal__full_name", "principal__degree", "principal__academic_title",
)  # fmt: skip


def index(request):
    """Ongoing and completed tasks; drafts only for those allowed to see them."""
    queryset = with_field_list(
        Task.objects.visible_to(request.user)
        .select_related("host", "level", "principal")
        .only(*LIST_COLUMNS)
        .order_by("-planned_start", "-id")
    )
    filterset = TaskFilterSet(request.GET, queryset=queryset, viewer=request.user)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, "projects/task_list.html", {"filter": filterset, "page": page})


def task_detail(request, pk):
    task = get_task_for_user(request.user, pk)
    shown = disclosure(request.user, task)
    full = shown.full
    can_edit_results = services.can_report_results(request.user, task)
    context = {
        "task": task,
        "full": full,
        "can_edit_results": can_edit_results,
        "show_results": shown.results or can_edit_results,
        "moves": lifecycle.TASK.available_moves(request.user, task),
        "transition_form": TransitionForm(),
        "fields": list(task.fields.all()),
        # The records of other apps linked to the task (its IP filings: the IP register).
        "related": related_sections(task, request.user),
    }
    if context["show_results"]:
        acceptance = task.acceptances.select_related("council").order_by("-date").first()
        registration = getattr(task, "registration", None)
        context.update(
            acceptance=acceptance,
            registration=registration,
            due_date=registration_due_date(
                acceptance.date if acceptance else None, task.ip_filings.exists()
            ),
            publications=task.publications.prefetch_related("researchers"),
            applications=task.applications.all(),
            documents=task.documents.visible_to(request.user),
        )
    members = list(task.members.select_related("researcher", "organization")) if full else []
    # Link a person only where the viewer may open the profile (one query).
    context["visible_people"] = set(
        Researcher.objects.visible_to(request.user)
        .filter(pk__in={task.principal_id, *(m.researcher_id for m in members)} - {None})
        .values_list("pk", flat=True)
    )
    if full:
        context.update(
            members=members,
            transitions=task.transitions.select_related("actor"),
            progress_checks=task.progress_checks.all(),
            councils=task.councils.prefetch_related("members__researcher", "members__evaluation"),
        )
    return render(request, "projects/task_detail.html", context)


def expert_history(request, researcher_id):
    """An expert's council seats and evaluations, on tasks the viewer may see."""
    researcher = get_visible_or_404(Researcher, request.user, pk=researcher_id)
    seats = (
        CouncilMember.objects.filter(
            researcher=researcher, council__task__in=Task.objects.visible_to(request.user)
        )
        .select_related("council__task", "evaluation")
        .order_by("-council__meeting_date", "-id")
    )
    return render(
        request,
        "projects/expert_history.html",
        {
            "researcher": researcher,
            "seats": seats,
            "show_evaluations": sees_evaluations(request.user),
        },
    )
