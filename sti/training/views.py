"""Pages of the training app: the public course list and page, registration and its
cancellation, the organizer's pages (learners, attendance, certificates), the public
certificate verification and the editors' statistics. Views load, check, call a service and
render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.core.audit import history_for
from sti.core.exports import export_response
from sti.core.text import fold_lower
from sti.publishing import render_pdf
from sti.training import access, exports, lifecycle, services
from sti.training.choices import CourseStatus, RegistrationStatus
from sti.training.filters import CourseFilter
from sti.training.forms import (
    CancelRegistrationForm,
    CourseForm,
    CourseMoveForm,
    OneClickRegistrationForm,
    PublicRegistrationForm,
    SessionFormSet,
    TrainerFormSet,
)
from sti.training.models import Course, Registration
from sti.training.tokens import read_cancel_token

PAGE_SIZE = 20
HISTORY_LENGTH = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _list_queryset(user):
    return (
        Course.objects.visible_to(user)
        .select_related("organizer")
        .annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            )
        )
        .order_by(F("starts_on").desc(nulls_last=True), "-id")
    )


# ---------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------
def course_list(request):
    filterset = CourseFilter(request.GET, queryset=_list_queryset(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/course_list.html",
        {
            "page": page,
            "filter": filterset,
            "can_create": access.can_create_course(request.user),
        },
    )


def _own_registration(user, course):
    if not user.is_authenticated:
        return None
    return course.registrations.active().filter(user=user).first()


def course_detail(request, pk):
    course = access.get_course_for_user(request.user, pk)
    manager = access.can_manage_course(request.user, course)
    context = {
        "course": course,
        "sessions": list(course.sessions.all()),
        "trainers": list(course.trainers.select_related("researcher")),
        "fields": course.fields.order_by("code"),
        "confirmed": course.registrations.confirmed().count(),
        "waiting": course.registrations.waiting().count(),
        "problem": services.registration_problem(course),
        "own": _own_registration(request.user, course),
        "manager": manager,
        "moves": lifecycle.COURSE.available_moves(request.user, course) if manager else [],
        "history": list(history_for(course)[:HISTORY_LENGTH]) if manager else None,
    }
    if context["moves"]:
        context["move_form"] = CourseMoveForm(moves=context["moves"])
    return render(request, "training/course_detail.html", context)


def course_register(request, pk):
    """The registration form: one click for a signed-in user with an e-mail address, the
    public form for everyone else (a honeypot field and a per-address rate limit)."""
    course = access.get_course_for_user(request.user, pk)
    one_click = request.user.is_authenticated and bool(request.user.email)
    form_class = OneClickRegistrationForm if one_click else PublicRegistrationForm
    form = form_class(request.POST or None)
    problem = services.registration_problem(course)
    if request.method == "POST" and not problem and form.is_valid():
        if not one_click and (
            form.is_robot or services.public_rate_limited(_client_address(request))
        ):
            form.add_error(
                None, _("Có quá nhiều lượt đăng ký từ địa chỉ này; hãy thử lại sau ít phút.")
            )
        else:
            try:
                if one_click:
                    registration = services.register_user(
                        request.user, course, gender=form.cleaned_data["gender"]
                    )
                else:
                    registration = services.register_public(
                        course, form.cleaned_data, actor=request.user
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(
                    request,
                    "training/registration_done.html",
                    {"course": course, "registration": registration},
                )
    return render(
        request,
        "training/registration_form.html",
        {
            "course": course,
            "form": form,
            "one_click": one_click,
            "problem": problem,
            "full": not problem and course.registrations.confirmed().count() >= course.capacity,
        },
    )


@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("course__organizer", "certificate")
        .order_by("-created_at")
    )
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/my_registrations.html", {"page": page})


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = access.get_registration_for_user(request.user, pk)
    form = CancelRegistrationForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        promoted = services.cancel_registration(request.user, registration, note=note)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Đã hủy đăng ký của %(name)s.") % {"name": registration.full_name}
        )
        if promoted is not None:
            messages.info(
                request,
                _("%(name)s được chuyển từ danh sách chờ vào lớp.") % {"name": promoted.full_name},
            )
    if access.can_manage_course(request.user, registration.course):
        return redirect("training:course_registrations", pk=registration.course_id)
    return redirect("training:my_registrations")


def registration_cancel_link(request, token):
    """The signed link of the confirmation e-mail: GET asks, POST cancels."""
    found = read_cancel_token(token)
    registration = (
        Registration.objects.select_related("course").filter(pk=found[0]).first() if found else None
    )
    if registration is None or registration.email != found[1]:
        raise Http404(_("Đường dẫn hủy đăng ký không hợp lệ."))
    done = registration.status == RegistrationStatus.CANCELLED
    if request.method == "POST" and not done:
        try:
            services.cancel_registration_by_link(registration, found[1])
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            done = True
    return render(
        request, "training/registration_cancel.html", {"registration": registration, "done": done}
    )


def certificate_verify(request, code):
    certificate = access.get_certificate_by_code(code)
    if certificate is None:
        return render(request, "training/certificate_invalid.html", {"code": code[:60]}, status=404)
    return render(request, "training/certificate_verify.html", {"certificate": certificate})


def certificate_pdf(request, code):
    certificate = access.get_certificate_by_code(code)
    if certificate is None:
        raise Http404(_("Mã chứng nhận không hợp lệ."))
    pdf = render_pdf(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "course": certificate.registration.course,
            "verify_url": request.build_absolute_uri(certificate.get_absolute_url()),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{certificate.pk}.pdf"'
    return response


# ---------------------------------------------------------------------------
# Organizer pages (editors and the organizer's reporters)
# ---------------------------------------------------------------------------
def _managed_course(request, pk) -> Course:
    course = access.get_course_for_user(request.user, pk)
    if not access.can_manage_course(request.user, course):
        raise PermissionDenied
    return course


def _schedule_initial(course):
    if course is None:
        return [], []
    sessions = [
        {"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "topic": s.topic}
        for s in course.sessions.all()
    ]
    trainers = [
        {"researcher": t.researcher_id, "name": t.name, "affiliation": t.affiliation}
        for t in course.trainers.all()
    ]
    return sessions, trainers


def _course_form(request, course):
    sessions, trainers = _schedule_initial(course)
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, instance=course, user=request.user)
    session_set = SessionFormSet(data, initial=sessions, prefix="buoi")
    trainer_set = TrainerFormSet(data, initial=trainers, prefix="gv")
    if data is not None and form.is_valid() and session_set.is_valid() and trainer_set.is_valid():
        schedule = {"sessions": session_set.sessions(), "trainers": trainer_set.trainers()}
        try:
            if course is None:
                saved = services.create_course(
                    request.user,
                    form.service_data(),
                    fields=form.cleaned_data["fields"],
                    **schedule,
                )
            else:
                saved = services.update_course(
                    course,
                    actor=request.user,
                    data=form.service_data(),
                    fields=form.cleaned_data["fields"],
                    **schedule,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu khóa học “%(title)s”.") % {"title": saved})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "training/course_form.html",
        {"form": form, "sessions": session_set, "trainers": trainer_set, "object": course},
    )


@login_required
def course_create(request):
    if not access.can_create_course(request.user):
        raise PermissionDenied
    return _course_form(request, None)


@login_required
def course_edit(request, pk):
    return _course_form(request, _managed_course(request, pk))


@login_required
@require_POST
def course_move(request, pk):
    course = access.get_course_for_user(request.user, pk)
    moves = lifecycle.COURSE.available_moves(request.user, course)
    if not moves:
        raise PermissionDenied
    form = CourseMoveForm(request.POST, moves=moves)
    if not form.is_valid():
        messages.error(request, _("Bước không hợp lệ."))
        return redirect(course.get_absolute_url())
    try:
        services.move_course(
            request.user,
            course,
            form.cleaned_data["target"],
            note=form.cleaned_data["note"],
            confirmed=form.cleaned_data["confirmed"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Khóa học chuyển sang “%(s)s”.") % {"s": course.get_status_display()}
        )
    return redirect(course.get_absolute_url())


@login_required
def course_registrations(request, pk):
    course = _managed_course(request, pk)
    registrations = list(
        course.registrations.select_related("certificate", "user")
        .annotate(attended=Count("attendances"))
        .order_by("status", "created_at", "id")
    )
    return render(
        request,
        "training/course_registrations.html",
        {
            "course": course,
            "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
            "cancel_form": CancelRegistrationForm(),
        },
    )


@login_required
def registrations_export(request, pk, fmt):
    course = _managed_course(request, pk)
    return export_response(
        exports.COLUMNS,
        exports.rows(course),
        fmt,
        f"hoc-vien-khoa-{course.pk}",
        sheet_title=str(_("Học viên")),
    )


@login_required
def attendance(request, pk):
    course = _managed_course(request, pk)
    if request.method == "POST":
        present = set()
        for key in request.POST.getlist("present"):
            registration_id, _sep, session_id = key.partition("-")
            if registration_id.isdigit() and session_id.isdigit():
                present.add((int(registration_id), int(session_id)))
        try:
            count = services.record_attendance(request.user, course, present)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Đã lưu điểm danh (%(n)s lượt có mặt).") % {"n": count})
        return redirect("training:attendance", pk=course.pk)
    sessions = list(course.sessions.all())
    learners = list(
        course.registrations.confirmed()
        .select_related("certificate")
        .prefetch_related(Prefetch("attendances", to_attr="present"))
        .order_by("id")
    )
    learners.sort(key=lambda learner: (fold_lower(learner.full_name), learner.pk))
    for learner in learners:
        marked = {a.session_id for a in learner.present}
        learner.cells = [(session, session.pk in marked) for session in sessions]
        learner.attended = len(marked)
    return render(
        request,
        "training/attendance.html",
        {
            "course": course,
            "sessions": sessions,
            "learners": learners,
            "needed": services.required_sessions(course, len(sessions)) if sessions else 0,
            "editable": course.status in (CourseStatus.RUNNING, CourseStatus.FINISHED),
        },
    )


@login_required
@require_POST
def certificates_issue(request, pk):
    course = _managed_course(request, pk)
    try:
        issued = services.issue_certificates(request.user, course)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Đã cấp %(n)s chứng nhận.") % {"n": len(issued)})
    return redirect("training:attendance", pk=course.pk)


# ---------------------------------------------------------------------------
# Statistics (editors)
# ---------------------------------------------------------------------------
def _bars(rows: list[tuple[str, int]]) -> list[dict]:
    """Rows of a horizontal bar chart, widths in percent of the largest value."""
    top = max((n for _label, n in rows), default=0) or 1
    return [{"label": label, "value": n, "width": round(100 * n / top, 1)} for label, n in rows]


@login_required
def statistics(request):
    if not access.can_see_statistics(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("nam", this_year))
    except ValueError:
        year = this_year
    if not 1990 <= year <= 2100:
        year = this_year
    stats = services.yearly_statistics(year)
    overview = services.years_overview(this_year)
    top = max((row["learners"] for row in overview), default=0) or 1
    for index, row in enumerate(overview):
        row["height"] = round(160 * row["learners"] / top)
        row["x"] = 40 + index * 90
        row["y"] = 190 - row["height"]
    return render(
        request,
        "training/statistics.html",
        {
            "stats": stats,
            "overview": overview,
            "kinds": _bars(stats["by_organization_kind"]),
            "genders": _bars(stats["by_gender"]),
            "years": list(range(this_year, this_year - 6, -1)),
        },
    )
