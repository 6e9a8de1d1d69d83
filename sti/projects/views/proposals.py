"""Proposals (đề xuất): drafting, submission with the duplicate check, editorial review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sti.core.similarity import IndexNotReady
from sti.core.statemachine import IllegalMove
from sti.library.models import Document
from sti.projects import services
from sti.projects.access import get_proposal_for_user
from sti.projects.forms import ProposalForm, ProposalReviewForm
from sti.projects.models import Proposal, Task
from sti.projects.similarity import duplicates


@login_required
def proposal_list(request):
    proposals = Proposal.objects.visible_to(request.user).select_related("organization")
    status = request.GET.get("status")
    if status:
        proposals = proposals.filter(status=status)
    # The overall score may come from records the proposer may not see: editors only.
    if request.GET.get("flagged") and request.user.is_editor:
        proposals = proposals.filter(flagged=True)
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    return render(request, "projects/proposal_list.html", {"page": page})


@login_required
def proposal_create(request):
    if services.proposing_organization_ids(request.user) == []:
        raise PermissionDenied
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "fields_"}
        try:
            proposal = services.create_proposal(
                request.user, data, fields=form.cleaned_data["fields_"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu đề xuất (nháp)."))
            return redirect(proposal)
    return render(
        request, "projects/form.html", {"form": form, "title": _("Đề xuất nhiệm vụ KH&CN")}
    )


@login_required
def proposal_edit(request, pk):
    proposal = get_proposal_for_user(request.user, pk)
    if not Proposal.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    form = ProposalForm(request.POST or None, instance=proposal, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        proposal = services.update_proposal(
            request.user, Proposal.objects.get(pk=pk), data, fields=form.cleaned_data["fields_"]
        )
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(proposal)
    return render(request, "projects/form.html", {"form": form, "title": _("Sửa đề xuất")})


def _visible_matches(user, proposal):
    """The matches the viewer may read. Editors see every match (a hidden record shows as
    "not public"); anyone else sees only records they may see: a score against a
    confidential task or an unpublished document would tell its content (an oracle). The
    page numbers the matches it shows 1, 2, 3… (not their stored rank, which would leave
    gaps where a hidden match was left out)."""
    matches = list(proposal.matches.all())
    urls = {
        ("task", task.pk): task.get_absolute_url()
        for task in Task.objects.visible_to(user)
        .filter(pk__in=[m.object_id for m in matches if m.kind == "task"])
        .only("pk")
    }
    for document in Document.objects.visible_to(user).filter(
        pk__in=[m.object_id for m in matches if m.kind == "document"]
    ):
        urls[("document", document.pk)] = document.get_absolute_url()
    for match in matches:
        match.url = urls.get((match.kind, match.object_id))
        match.hidden = match.url is None
    if user.is_editor:
        return matches
    return [match for match in matches if not match.hidden]


@login_required
def proposal_detail(request, pk):
    proposal = get_proposal_for_user(request.user, pk)
    matches = _visible_matches(request.user, proposal)
    return render(
        request,
        "projects/proposal_detail.html",
        {
            "proposal": proposal,
            "indexing": _indexing(proposal),
            "matches": matches,
            # The flag as this viewer may see it: from the matches they may read.
            "shown_top_score": max((m.score for m in matches), default=None),
            "threshold": duplicates.threshold(),
            "can_edit": Proposal.objects.editable_by(request.user).filter(pk=pk).exists(),
            "review_form": ProposalReviewForm(proposal=proposal)
            if request.user.is_editor
            else None,
        },
    )


@login_required
@require_POST
def proposal_submit(request, pk):
    proposal = get_proposal_for_user(request.user, pk)
    try:
        services.submit_proposal(request.user, proposal)
    except IllegalMove as error:  # a refused role (MoveForbidden) is a 403
        messages.error(request, error.message)
    else:
        proposal.refresh_from_db()
        if proposal.check_pending:
            messages.info(
                request, _("Đã nộp đề xuất. Kết quả tra cứu trùng lặp sẽ có khi lập xong chỉ mục.")
            )
        else:
            messages.success(request, _("Đã nộp đề xuất và tra cứu trùng lặp."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_check(request, pk):
    proposal = get_proposal_for_user(request.user, pk)
    try:
        services.check_duplicates(request.user, proposal)
    except IndexNotReady:
        duplicates.request_rebuild()
        messages.info(request, INDEXING_MESSAGE)
    else:
        messages.success(request, _("Đã tra cứu trùng lặp lại."))
    return redirect(proposal)


INDEXING_MESSAGE = gettext_lazy("Đang lập chỉ mục tra cứu trùng lặp, vui lòng thử lại sau ít phút.")


def _indexing(proposal) -> bool:
    """Whether the page shows the “indexing” notice; a missing matrix is queued for the worker."""
    if duplicates.available():
        return proposal.check_pending
    duplicates.request_rebuild()
    return True


@login_required
def proposal_check_status(request, pk):
    """Polled by htmx while the matrix is rebuilt: the notice again, or a page refresh once
    the check can run (a pending proposal is checked here if the worker has not yet)."""
    proposal = get_proposal_for_user(request.user, pk)
    if duplicates.available():
        try:
            if proposal.check_pending:
                services.check_duplicates(request.user, proposal)
        except IndexNotReady:
            duplicates.request_rebuild()
        else:
            response = HttpResponse(_("Đã lập xong chỉ mục tra cứu trùng lặp."))
            response["HX-Refresh"] = "true"
            return response
    else:
        duplicates.request_rebuild()
    return render(request, "projects/_indexing_status.html", {"proposal": proposal})


@login_required
@require_POST
def proposal_review(request, pk):
    proposal = get_proposal_for_user(request.user, pk)
    form = ProposalReviewForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.review_proposal(
                request.user,
                proposal,
                form.cleaned_data["target"],
                note=form.cleaned_data["note"],
                confirmed=form.cleaned_data.get("confirmed", False),
            )
        except IllegalMove as error:  # a refused role (MoveForbidden) is a 403
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã cập nhật trạng thái đề xuất."))
    return redirect(proposal)
