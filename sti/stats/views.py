"""Pages of the statistics app: a reporter's submissions and the grid, the Excel round trip,
review, the editors' tracking board, periods and regimes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core import imports
from sti.core.exports import content_disposition
from sti.directory.models import Organization
from sti.stats import access, layout, lifecycle, regimes, services, validation, workbook
from sti.stats.choices import RuleKind, SubmissionSourceKind
from sti.stats.forms import (
    AssignForm,
    PeriodForm,
    RegimeTextForm,
    ReviewForm,
    UploadForm,
    grid_values,
)
from sti.stats.models import Period, Regime, Submission

UPLOAD_KIND = "stats.workbook"


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


@login_required
def my_submissions(request):
    submissions = (
        Submission.objects.visible_to(request.user)
        .select_related("period", "form", "organization")
        .order_by("-period__year", "organization__name", "form__order")[:200]
    )
    return render(request, "stats/my_submissions.html", {"submissions": submissions})


def _grid_context(request, submission, values, issues):
    grid = layout.build(submission.form)
    return {
        "submission": submission,
        "grid": grid,
        "values": values,
        "issues": validation.by_cell(issues),
        "issue_list": issues,
        "editable": access.can_fill_submission(request.user, submission),
        "reviewer": access.can_review_submission(request.user, submission),
        "moves": lifecycle.SUBMISSION.available_moves(request.user, submission),
        "versions": list(submission.versions.select_related("created_by")),
        "late": submission.is_late(),
        "completeness": services.completeness(submission, grid),
        "review_form": ReviewForm(),
        "upload_form": UploadForm(),
    }


@login_required
def submission_detail(request, pk):
    """The grid: GET shows the draft and its issues; POST saves it (a draft may keep rule
    errors, shown at their cells; unreadable values are not saved)."""
    submission = access.get_submission_for_user(request.user, pk)
    if request.method == "POST":
        raw = grid_values(request.POST)
        try:
            issues = services.save_values(request.user, submission, raw)
        except services.InvalidValues:
            _values, issues = services.check_values(submission, raw)
            messages.error(request, _("Chưa lưu: có ô ghi không đúng kiểu số."))
            context = _grid_context(request, submission, raw, issues)
            return render(request, "stats/submission_detail.html", context, status=400)
        messages.success(request, _("Đã lưu bản nháp."))
        if "submit" in request.POST:
            return submission_submit(request, pk)
        return redirect(submission.get_absolute_url())
    _values, issues = services.check_values(submission, submission.values)
    if submission.source in ("", SubmissionSourceKind.PREFILL):
        # Nobody has saved this form yet: what is still empty is not a mistake until then.
        required = set(
            submission.form.rules.filter(kind=RuleKind.REQUIRED).values_list("code", flat=True)
        )
        issues = [issue for issue in issues if issue.rule not in required]
    context = _grid_context(request, submission, submission.values, issues)
    return render(request, "stats/submission_detail.html", context)


@login_required
def submission_workbook(request, pk):
    submission = access.get_submission_for_user(request.user, pk)
    data = workbook.build_workbook(submission, layout.build(submission.form))
    response = HttpResponse(data, content_type=imports.XLSX_CONTENT_TYPE)
    name = f"{workbook.sheet_title(submission.form)}-{submission.period.year}-{submission.organization_id}.xlsx"
    response["Content-Disposition"] = content_disposition(name)
    return response


@login_required
def submission_upload(request, pk):
    """Upload → preview (every value and issue, nothing written) → confirm (the staged file
    is read and validated again, then stored all or nothing)."""
    submission = access.get_submission_for_user(request.user, pk)
    if not access.can_fill_submission(request.user, submission):
        raise PermissionDenied
    token = request.POST.get("token", "")
    if token:
        # One confirmation at a time (a double click stores the figures once).
        with imports.confirming(token, user=request.user, kind=UPLOAD_KIND) as staged:
            if staged is None or staged[1].get("submission") != submission.pk:
                messages.error(request, _("Tệp tải lên đã hết hạn; hãy tải lên lại."))
                return redirect(submission.get_absolute_url())
            try:
                with open(staged[0], "rb") as handle:
                    services.apply_upload(request.user, submission, handle)
            except ValidationError as error:
                for message in _messages_of(error):
                    messages.error(request, message)
            else:
                messages.success(request, _("Đã nhập số liệu từ tệp Excel."))
            imports.discard_stash(token)
        return redirect(submission.get_absolute_url())
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"submission": submission, "form": form}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["workbook"]
        try:
            imports.check_upload(uploaded)
        except ValidationError as error:
            form.add_error("workbook", error)
        else:
            read, values, issues = services.check_upload(submission, uploaded)
            context.update(read=read, values=values, issues=issues)
            context["errors"] = read.file_errors + [i.message for i in issues if i.is_error]
            context["warnings"] = [i.message for i in issues if not i.is_error]
            context["grid"] = layout.build(submission.form)
            if not context["errors"]:
                context["token"] = imports.stash_upload(
                    uploaded,
                    user=request.user,
                    kind=UPLOAD_KIND,
                    extra={"submission": submission.pk},
                )
    return render(request, "stats/submission_upload.html", context)


@login_required
@require_POST
def submission_submit(request, pk):
    submission = access.get_submission_for_user(request.user, pk)
    try:
        services.submit_submission(request.user, submission)
    except ValidationError as error:
        for message in _messages_of(error)[:20]:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã nộp báo cáo."))
    return redirect(submission.get_absolute_url())


@login_required
@require_POST
def submission_review(request, pk):
    submission = access.get_submission_for_user(request.user, pk)
    if not access.can_review_submission(request.user, submission):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_submission(
                request.user,
                submission,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi kết quả duyệt."))
    return redirect(submission.get_absolute_url())


@login_required
def version_compare(request, pk):
    submission = access.get_submission_for_user(request.user, pk)
    versions = {v.number: v for v in submission.versions.all()}
    try:
        old = versions[int(request.GET.get("a", 0))]
        new = versions[int(request.GET.get("b", 0))] if request.GET.get("b") else None
    except (KeyError, ValueError):
        return redirect(submission.get_absolute_url())
    grid = layout.build(submission.form)
    newer = new.values if new is not None else submission.values
    rows = services.compare_versions(old.values, newer, grid)
    context = {"submission": submission, "old": old, "new": new, "rows": rows}
    return render(request, "stats/version_compare.html", context)


# ---------------------------------------------------------------------------
# Editors: periods, the board, regimes
# ---------------------------------------------------------------------------
@editor_required
def period_list(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.open_period(
                request.user,
                form.cleaned_data["year"],
                form.cleaned_data["regime"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("stats:period_assign", year=period.year)
    periods = Period.objects.select_related("regime")
    return render(request, "stats/period_list.html", {"periods": periods, "form": form})


@editor_required
def period_assign(request, year):
    period = get_object_or_404(Period, year=year)
    form = AssignForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        organizations = Organization.objects.active()
        if form.cleaned_data["kinds"]:
            organizations = organizations.filter(kind__in=form.cleaned_data["kinds"])
        created = services.assign_forms(
            request.user, period, list(organizations), form.cleaned_data["forms_to_file"]
        )
        messages.success(request, _("Đã giao %(n)s báo cáo.") % {"n": len(created)})
        return redirect(period.get_absolute_url())
    return render(request, "stats/period_assign.html", {"period": period, "form": form})


def board_rows(period):
    """Per form: assigned, submitted, accepted, returned, late, completeness (%)."""
    today = timezone.localdate()
    submissions = list(
        Submission.objects.filter(period=period)
        .select_related("form", "organization", "period")
        .order_by("form__order", "organization__name")
    )
    grids, forms = {}, {}
    for submission in submissions:
        if submission.form_id not in grids:
            grids[submission.form_id] = layout.build(submission.form)
        grid = grids[submission.form_id]
        summary = forms.setdefault(
            submission.form_id,
            {
                "form": submission.form,
                "rows": [],
                "assigned": 0,
                "submitted": 0,
                "accepted": 0,
                "returned": 0,
                "late": 0,
            },
        )
        submission.completeness = services.completeness(submission, grid)
        submission.late = submission.is_late(today)
        summary["rows"].append(submission)
        summary["assigned"] += 1
        summary[submission.status] = summary.get(submission.status, 0) + 1
        summary["late"] += submission.late
    for summary in forms.values():
        filed = summary["submitted"] + summary["accepted"]
        summary["filed_percent"] = (
            round(100 * filed / summary["assigned"]) if summary["assigned"] else 0
        )
    return list(forms.values())


@editor_required
def board(request, year):
    period = get_object_or_404(Period.objects.select_related("regime"), year=year)
    context = {"period": period, "forms": board_rows(period), "today": timezone.localdate()}
    return render(request, "stats/board.html", context)


@editor_required
@require_POST
def board_remind(request, year):
    period = get_object_or_404(Period, year=year)
    ids = [int(pk) for pk in request.POST.getlist("submission") if pk.isdigit()]
    chosen = Submission.objects.filter(period=period)
    chosen = chosen.filter(pk__in=ids) if ids else chosen.late()
    count = services.remind(request.user, list(chosen.select_related("period")))
    messages.success(request, _("Đã xếp hàng gửi %(n)s thư nhắc.") % {"n": count})
    return redirect(period.get_absolute_url())


@editor_required
def regime_list(request):
    return render(request, "stats/regime_list.html", {"regimes": Regime.objects.all()})


@editor_required
def regime_detail(request, code):
    regime = access.get_regime_for_user(request.user, code)
    grids = [layout.build(form) for form in regime.forms.all()]
    rules = {form.pk: list(form.rules.all()) for form in regime.forms.all()}
    return render(
        request, "stats/regime_detail.html", {"regime": regime, "grids": grids, "rules": rules}
    )


@editor_required
def regime_edit(request, code):
    """Edit the whole regime as its YAML text: checked, then loaded all or nothing."""
    regime = access.get_regime_for_user(request.user, code)
    form = RegimeTextForm(request.POST or None, initial={"text": regimes.dump_text(regime)})
    if request.method == "POST" and form.is_valid():
        try:
            data = regimes.parse_text(form.cleaned_data["text"])
            if data.get("code") != regime.code:
                raise regimes.RegimeError([_("Không được đổi mã chế độ báo cáo.")])
            _regime, notes = regimes.load_regime(data, actor=request.user)
        except regimes.RegimeError as error:
            for message in error.errors:
                form.add_error("text", message)
        else:
            for note in notes:
                messages.warning(request, note)
            messages.success(request, _("Đã cập nhật chế độ báo cáo."))
            return redirect(regime.get_absolute_url())
    return render(request, "stats/regime_edit.html", {"regime": regime, "form": form})
