"""Councils: the recommendation page, convening, conflicts and evaluations (editors)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.projects import councils, services
from sti.projects.access import get_task_for_user
from sti.projects.forms import ConflictForm, CouncilForm, EvaluationForm
from sti.projects.models import Council, CouncilMember


@editor_required
def council_recommend(request, pk):
    task = get_task_for_user(request.user, pk)
    slate = councils.recommend(task)
    form = CouncilForm(request.POST or None, slate=slate)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.create_council(
                request.user,
                task,
                kind=form.cleaned_data["kind"],
                members=form.seats(),
                decision_number=form.cleaned_data["decision_number"],
                meeting_date=form.cleaned_data["meeting_date"],
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Đã lập hội đồng."))
            return redirect("projects:council_detail", pk=council.pk)
    return render(
        request,
        "projects/council_recommend.html",
        {
            "task": task,
            "slate": slate,
            "form": form,
            "conflict_form": ConflictForm(),
        },
    )


@editor_required
@require_POST
def conflict_mark(request, pk):
    task = get_task_for_user(request.user, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        services.mark_conflict(
            request.user, task, form.cleaned_data["researcher"], form.cleaned_data["reason"]
        )
        messages.success(request, _("Đã đánh dấu xung đột lợi ích."))
    return redirect("projects:council_recommend", pk=task.pk)


@editor_required
def council_detail(request, pk):
    council = get_object_or_404(Council.objects.select_related("task"), pk=pk)
    members = council.members.select_related("researcher", "evaluation")
    return render(
        request,
        "projects/council_detail.html",
        {
            "council": council,
            "members": members,
            "form": EvaluationForm(),
        },
    )


@editor_required
@require_POST
def evaluation_record(request, member_id):
    member = get_object_or_404(CouncilMember.objects.select_related("council"), pk=member_id)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        services.record_evaluation(request.user, member, **form.cleaned_data)
        messages.success(request, _("Đã ghi phiếu đánh giá."))
    return redirect("projects:council_detail", pk=member.council_id)
