"""Pages of the report generator (editors and administrators only): the drafts, one draft
with its computed figures, narrative boxes (htmx save, history, restore), consistency checks
and builds; the built files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.analytics.reports import access, builder, definitions, services
from sti.analytics.reports.forms import DraftForm, ExplanationForm, SectionForm
from sti.analytics.reports.models import ReportDraft
from sti.core import jobs
from sti.core.forms import attach_errors


@editor_required
def draft_list(request):
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_draft(request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("analytics_reports:draft", draft.pk)
    drafts = ReportDraft.objects.visible_to(request.user).select_related("created_by")[:100]
    templates = definitions.templates()
    return render(
        request,
        "analytics/reports/list.html",
        {"form": form, "drafts": drafts, "templates": templates},
    )


@editor_required
def draft_detail(request, pk: int):
    draft = access.get_draft_for_user(request.user, pk)
    computed = builder.compute_draft(draft)
    builds = draft.builds.select_related("job")[:10]
    return render(
        request,
        "analytics/reports/draft.html",
        {
            "draft": draft,
            "computed": computed,
            "notes": dict(draft.check_notes.values_list("check_key", "explanation")),
            "open_checks": services.unexplained(draft, computed.disagreements),
            "builds": builds,
        },
    )


def _section_context(request, draft, key: str, **extra) -> dict:
    section = definitions.get_template(draft.template_key).section(key)
    if section is None:
        raise Http404
    return {
        "draft": draft,
        "section": section,
        "version": services.current_texts(draft).get(key),
        **extra,
    }


@require_POST
@editor_required
def section_save(request, pk: int, key: str):
    draft = access.get_draft_for_user(request.user, pk)
    form = SectionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.save_section(request.user, draft, key, form.cleaned_data["text"])
        except ValidationError as problem:
            error = " ".join(problem.messages)
    else:
        error = " ".join(form.errors.get("text", [_("Nội dung không hợp lệ.")]))
    context = _section_context(request, draft, key, error=error, saved=not error)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(draft_url(draft))
    return render(
        request, "analytics/reports/_section_text.html", context, status=400 if error else 200
    )


@editor_required
def section_history(request, pk: int, key: str):
    draft = access.get_draft_for_user(request.user, pk)
    context = _section_context(request, draft, key)
    context["versions"] = draft.versions.filter(section=key).select_related("author")
    return render(request, "analytics/reports/_section_history.html", context)


@require_POST
@editor_required
def version_restore(request, pk: int, version_id: int):
    draft = access.get_draft_for_user(request.user, pk)
    try:
        version = services.restore_version(request.user, draft, version_id)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error
    if not request.htmx:
        return redirect(draft_url(draft))
    context = _section_context(request, draft, version.section, saved=True)
    return render(request, "analytics/reports/_section_text.html", context)


@require_POST
@editor_required
def check_explain(request, pk: int, key: str):
    draft = access.get_draft_for_user(request.user, pk)
    form = ExplanationForm(request.POST)
    if form.is_valid():
        try:
            services.explain_check(request.user, draft, key, form.cleaned_data["explanation"])
        except ValidationError as error:
            raise Http404(" ".join(error.messages)) from error
        messages.success(request, _("Đã lưu giải thích."))
    else:
        messages.error(request, " ".join(form.errors.get("explanation", [])))
    return redirect(f"{draft_url(draft)}#checks")


@require_POST
@editor_required
def build_request(request, pk: int):
    draft = access.get_draft_for_user(request.user, pk)
    computed = builder.compute_draft(draft, sections=False)
    try:
        services.request_build(request.user, draft, computed.disagreements)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{draft_url(draft)}#checks")
    messages.success(request, _("Đã đưa yêu cầu tạo tệp báo cáo vào hàng đợi."))
    return redirect(f"{draft_url(draft)}#builds")


@editor_required
def build_status(request, pk: int):
    build = access.get_build_for_user(request.user, pk)
    return render(
        request,
        "analytics/reports/_build_row.html",
        {"build": build, **jobs.status_context(build.job, request.user)},
    )


@editor_required
def build_download(request, pk: int, fmt: str):
    build = access.get_build_for_user(request.user, pk)
    file = {"docx": build.docx, "pdf": build.pdf}.get(fmt)
    if not file or not build.is_finished:
        raise Http404
    filename = f"{build.draft.template_key}-{build.draft.period_label}.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename)


def draft_url(draft) -> str:
    return reverse("analytics_reports:draft", args=[draft.pk])
