from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core import audit, jobs
from sti.core.models import AuditEntry, TrackedJob
from sti.core.validators import as_pk


@editor_required
def audit_log(request):
    entries = AuditEntry.objects.select_related("actor")
    object_type = request.GET.get("type", "").strip()
    object_id = request.GET.get("id", "").strip()
    actor = None
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    actor_id = as_pk(request.GET.get("actor"))
    if actor_id:
        actor = get_user_model().objects.filter(pk=actor_id).first()
        entries = entries.filter(actor_id=actor_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = audit.readable(page.object_list)
    for entry in page.object_list:
        entry.type_label = audit.type_label(entry.object_type)
    types = [
        (value, audit.type_label(value))
        for value in AuditEntry.objects.values_list("object_type", flat=True)
        .distinct()
        .order_by("object_type")
    ]
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "types": types, "selected_type": object_type, "selected_actor": actor},
    )


# ---------------------------------------------------------------------------
# Tracked jobs: the ones whose worker died, the failed ones, and an editor's retry
# ---------------------------------------------------------------------------
@editor_required
def job_list(request):
    recent = TrackedJob.objects.select_related("requested_by")
    return render(
        request,
        "core/jobs.html",
        {
            "stale": list(recent.stale()[:100]),
            "failed": list(recent.failed().order_by("-finished_at", "-id")[:100]),
            "active": list(recent.active().exclude(pk__in=recent.stale().values("pk"))[:100]),
            "max_attempts": jobs.max_attempts(),
        },
    )


def _back(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("core:jobs")
    return redirect(back)


@editor_required
@require_POST
def job_retry(request, pk):
    job = get_object_or_404(TrackedJob, pk=pk)
    try:
        jobs.retry(request.user, job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Đã cho chạy lại “%(label)s”.") % {"label": job.label or job.kind}
        )
    return _back(request)


@editor_required
@require_POST
def jobs_reap(request):
    """What every worker does periodically, at once: take again the jobs of dead workers."""
    reaped = jobs.reap()
    messages.success(
        request,
        _("Đã chạy lại %(requeued)s công việc; %(failed)s công việc bị đánh dấu lỗi.")
        % {"requeued": len(reaped.requeued), "failed": len(reaped.failed)},
    )
    return _back(request)
