"""Tasks (NhiemVu), their members, transitions, progress checks and acceptance."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, REPORTER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.models import ChoiceLabelsMixin, FieldOfScience, TaskLevel
from sti.core.reports import between, per_period, within
from sti.core.text import fold_lower
from sti.core.validators import validate_not_negative, validate_task_date
from sti.projects.choices import (
    COMPLETED_STATES,
    DRAFT_STATES,
    ONGOING_STATES,
    AcceptanceRating,
    AssignmentMode,
    MemberRole,
    ResearchType,
    TaskKind,
    TaskStatus,
)

# Fields of an ongoing task that TT 14/2014 Art. 23 §2 allows to publish.
PUBLIC_ONGOING_FIELDS = (
    "title",
    "host",
    "principal",
    "objectives",
    "content",
    "fields",
    "methods",
    "expected_products",
    "planned_start",
    "planned_end",
)
# States a visitor may see: contracted and later, except cancelled.
PUBLIC_STATES = ONGOING_STATES | COMPLETED_STATES | {TaskStatus.FAILED, TaskStatus.STOPPED}


def reporter_organization_ids(user) -> list[int]:
    return user.reporter_organization_ids() if user is not None and user.is_authenticated else []


def _level_keys(counts: dict) -> dict[str, int]:
    return {code or "": n for code, n in counts.items()}


def _running(start, end) -> Q:
    """Contracted tasks running at some point from `start` to `end`."""
    return Q(status__in=PUBLIC_STATES, planned_start__lte=end) & (
        Q(actual_end__gte=start)
        | Q(actual_end__isnull=True, planned_end__gte=start)
        | Q(actual_end__isnull=True, planned_end__isnull=True)
    )


def _started(start, end) -> Q:
    return Q(status__in=PUBLIC_STATES) & within("planned_start")(start, end)


def _accepted(start, end) -> Q:
    """Tasks with an official acceptance rated excellent or passed in the period."""
    passed = Acceptance.objects.exclude(rating=AcceptanceRating.FAILED)
    return Q(pk__in=between(passed, "date", start, end).values("task_id"))


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------
class TaskQuerySet(AccessQuerySet):
    # Visitors see contracted and later tasks that are not confidential; the reporters of the
    # host organization (not its plain members) also see its drafts and confidential tasks;
    # editors see everything. Pages, API, search, exports and catalogues all read this rule.
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=Q(status__in=PUBLIC_STATES, is_confidential=False)),
            Grant(REPORTER, field="host_id"),
        ]
    )

    def public(self):
        return self.visible_to(None)

    def editable_by(self, user):
        if user is not None and user.is_authenticated and user.is_editor:
            return self.all()
        return self.filter(host_id__in=reporter_organization_ids(user), status__in=DRAFT_STATES)

    def ongoing(self):
        return self.filter(status__in=ONGOING_STATES)

    def completed(self):
        return self.filter(status__in=COMPLETED_STATES)

    # -- Named report methods (read by sti.analytics). `organizations` is None for every
    # organization or a QuerySet of them (an area): the tasks they host.
    def hosted_by(self, organizations=None):
        if organizations is None:
            return self
        return self.filter(host__in=organizations.values("pk"))

    def running_between(self, start, end):
        """Contracted tasks running at some point from `start` to `end` (both included):
        started by the end, not finished before the start."""
        return self.filter(_running(start, end))

    def started_between(self, start, end):
        """Contracted tasks (and later states) that started from `start` to `end`."""
        return self.filter(_started(start, end))

    # Each report method answers one result per (start, end) of `periods`, in one query
    # (sti.core.reports.per_period): a dashboard's total and its years together.
    def report_by_level(self, periods, organizations=None) -> list[dict[str, int]]:
        """{level code: number} of the tasks running in each period ("" without a level)."""
        found = per_period(self.hosted_by(organizations), periods, _running, "level__code")
        return [_level_keys(counts) for counts in found]

    def report_by_status(self, periods, organizations=None) -> list[dict[str, int]]:
        """{status: number} of the tasks running in each period, by their current status."""
        return per_period(self.hosted_by(organizations), periods, _running, "status")

    def report_started_by_level(self, periods, organizations=None) -> list[dict[str, int]]:
        """{level code: number} of the tasks started in each period."""
        found = per_period(self.hosted_by(organizations), periods, _started, "level__code")
        return [_level_keys(counts) for counts in found]

    def report_accepted_by_level(self, periods, organizations=None) -> list[dict[str, int]]:
        """{level code: number} of the tasks that passed their official acceptance in each
        period (rated excellent or passed), each counted once."""
        found = per_period(self.hosted_by(organizations), periods, _accepted, "level__code")
        return [_level_keys(counts) for counts in found]

    def report_budget(self, periods, organizations=None) -> list[dict[str, Decimal]]:
        """Total, state and other budget (million đồng) of the tasks started in each period;
        a task without a figure adds nothing."""
        sums = per_period(
            self.hosted_by(organizations),
            periods,
            _started,
            value=lambda q: {
                "total": Sum("total_budget", filter=q),
                "state": Sum("state_budget", filter=q),
                "other": Sum("other_budget", filter=q),
            },
        )
        return [{key: value or Decimal(0) for key, value in found.items()} for found in sums]

    def ongoing_in_year(self, year: int):
        """Contracted tasks running at some point of `year`."""
        return self.filter(status__in=PUBLIC_STATES, planned_start__year__lte=year).filter(
            Q(actual_end__year__gte=year) | Q(actual_end__isnull=True, planned_end__year__gte=year)
        )


class Task(ChoiceLabelsMixin, models.Model):
    """An S&T task (nhiệm vụ KH&CN) with the fields of Mẫu 1 (TT 14/2014) and 04/KHCN-NV."""

    code = models.CharField(_("mã số"), max_length=50, blank=True, db_index=True)
    title = models.CharField(_("tên nhiệm vụ"), max_length=500)
    title_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    title_folded = models.CharField(
        _("tên không dấu"), max_length=600, editable=False, db_index=True
    )
    level = models.ForeignKey(
        TaskLevel, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("cấp quản lý")
    )
    form = models.CharField(
        _("hình thức"), max_length=30, choices=TaskKind.choices, default=TaskKind.TOPIC
    )
    research_type = models.CharField(
        _("loại hình nghiên cứu"), max_length=20, choices=ResearchType.choices, blank=True
    )
    fields = models.ManyToManyField(FieldOfScience, blank=True, verbose_name=_("lĩnh vực KH&CN"))
    assignment_mode = models.CharField(
        _("phương thức giao"), max_length=20, choices=AssignmentMode.choices, blank=True
    )
    host = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="hosted_tasks",
        verbose_name=_("tổ chức chủ trì"),
    )
    managing_agency = models.CharField(_("cơ quan chủ quản"), max_length=300, blank=True)
    principal = models.ForeignKey(
        "directory.Researcher",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_tasks",
        verbose_name=_("chủ nhiệm"),
    )
    principal_name = models.CharField(
        _("tên chủ nhiệm"),
        max_length=150,
        blank=True,
        help_text=_("Dùng khi chủ nhiệm chưa có trong danh bạ nhà khoa học."),
    )
    objectives = models.TextField(_("mục tiêu"), blank=True)
    content = models.TextField(_("nội dung chính"), blank=True)
    methods = models.TextField(_("phương pháp nghiên cứu"), blank=True)
    expected_products = models.TextField(_("sản phẩm, kết quả dự kiến"), blank=True)
    abstract = models.TextField(_("tóm tắt kết quả"), blank=True)
    planned_start = models.DateField(
        _("bắt đầu (dự kiến)"), null=True, blank=True, validators=[validate_task_date]
    )
    planned_end = models.DateField(
        _("kết thúc (dự kiến)"), null=True, blank=True, validators=[validate_task_date]
    )
    actual_start = models.DateField(
        _("bắt đầu (thực tế)"), null=True, blank=True, validators=[validate_task_date]
    )
    actual_end = models.DateField(
        _("kết thúc (thực tế)"), null=True, blank=True, validators=[validate_task_date]
    )
    total_budget = models.DecimalField(
        _("tổng kinh phí (triệu đồng)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    state_budget = models.DecimalField(
        _("kinh phí NSNN (triệu đồng)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    other_budget = models.DecimalField(
        _("nguồn khác (triệu đồng)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    contract_number = models.CharField(_("số hợp đồng"), max_length=100, blank=True)
    is_confidential = models.BooleanField(_("nhiệm vụ mật"), default=False)
    documents = models.ManyToManyField(
        "library.Document",
        blank=True,
        related_name="tasks",
        verbose_name=_("tài liệu thư viện (báo cáo kết quả)"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=30,
        choices=TaskStatus.choices,
        default=TaskStatus.PROPOSED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True, db_index=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ KH&CN")
        verbose_name_plural = _("nhiệm vụ KH&CN")
        ordering = ["-planned_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="task_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="task_planned_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def save(self, *args, **kwargs):
        self.refresh_folded()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"title_folded"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("projects:task_detail", self.pk)

    def refresh_folded(self) -> None:
        """The accent-free key for filtering by title or code (also call before bulk_create)."""
        # The title only: an ongoing task's code is not public, so it must not be searchable.
        self.title_folded = fold_lower(self.title)[:600]

    @property
    def principal_display(self) -> str:
        if self.principal_id:
            return self.principal.display_name
        return self.principal_name

    @property
    def is_draft(self) -> bool:
        return self.status in DRAFT_STATES

    @property
    def is_ongoing(self) -> bool:
        return self.status in ONGOING_STATES

    @property
    def is_completed(self) -> bool:
        return self.status in COMPLETED_STATES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES and not self.is_confidential

    @property
    def year(self) -> int | None:
        return self.planned_start.year if self.planned_start else None

    def text_for_matching(self) -> str:
        return "\n".join(part for part in (self.title, self.objectives, self.content) if part)


class TaskMember(models.Model):
    """A person on a task team, with a role; `researcher` links to the directory when known."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="members", verbose_name=_("nhiệm vụ")
    )
    researcher = models.ForeignKey(
        "directory.Researcher",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task_memberships",
        verbose_name=_("nhà khoa học"),
    )
    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tổ chức"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành viên nhiệm vụ")
        verbose_name_plural = _("thành viên nhiệm vụ")
        ordering = ["task", "order", "id"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return self.researcher.display_name if self.researcher_id else self.name


class TaskTransition(models.Model):
    """One step of a task's lifecycle: who moved it from which state to which, when, and why."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("nhiệm vụ")
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=30, choices=TaskStatus.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=30, choices=TaskStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("chuyển trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")
        ordering = ["task", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProgressCheck(models.Model):
    """A progress inspection (kiểm tra tiến độ) of a task in progress."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="progress_checks", verbose_name=_("nhiệm vụ")
    )
    date = models.DateField(_("ngày kiểm tra"))
    findings = models.TextField(_("kết quả kiểm tra"))
    on_schedule = models.BooleanField(_("đúng tiến độ"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi"),
    )

    class Meta:
        verbose_name = _("kiểm tra tiến độ")
        verbose_name_plural = _("kiểm tra tiến độ")
        ordering = ["task", "-date"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.date}"


class Acceptance(models.Model):
    """The official acceptance (nghiệm thu chính thức) of a task."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="acceptances", verbose_name=_("nhiệm vụ")
    )
    date = models.DateField(_("ngày nghiệm thu"))
    council = models.ForeignKey(
        "Council",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hội đồng"),
    )
    rating = models.CharField(_("xếp loại"), max_length=20, choices=AcceptanceRating.choices)
    minutes = models.FileField(_("biên bản"), upload_to="projects/minutes/%Y/", blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nghiệm thu")
        verbose_name_plural = _("nghiệm thu")
        ordering = ["task", "-date"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.date} {self.get_rating_display()}"
