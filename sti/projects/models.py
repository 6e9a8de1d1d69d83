"""The S&T task registry: tasks (NhiemVu), their lifecycle, proposals, councils and results.

Field names follow DOMAIN.md §4; class names are English, verbose names Vietnamese.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.models import FieldOfScience, TaskLevel
from sti.core.text import fold_lower
from sti.projects.choices import (
    COMPLETED_STATES,
    DRAFT_STATES,
    ONGOING_STATES,
    AcceptanceRating,
    ApplicationForm,
    AssignmentMode,
    BuildState,
    CatalogueKind,
    CouncilKind,
    CouncilRole,
    EvaluationVerdict,
    IPKind,
    IPStatus,
    MatchKind,
    MemberRole,
    ProposalStatus,
    PublicationKind,
    RegistrationFileKind,
    RegistrationStatus,
    ResearchType,
    TaskForm,
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

REGISTRATION_DAYS = 30
REGISTRATION_DAYS_WITH_IP = 60


def _reporter_orgs(user) -> list[int]:
    return user.reporter_organization_ids() if user is not None and user.is_authenticated else []


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------
class TaskQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATES, is_confidential=False)

    def visible_to(self, user):
        """Visitors see published, non-confidential tasks; a reporter of organization X also
        sees X's drafts and confidential tasks; editors see everything."""
        if user is not None and user.is_authenticated and user.is_editor:
            return self.all()
        orgs = _reporter_orgs(user)
        condition = Q(status__in=PUBLIC_STATES, is_confidential=False)
        if orgs:
            condition |= Q(host_id__in=orgs)
        return self.filter(condition)

    def editable_by(self, user):
        if user is not None and user.is_authenticated and user.is_editor:
            return self.all()
        return self.filter(host_id__in=_reporter_orgs(user), status__in=DRAFT_STATES)

    def ongoing(self):
        return self.filter(status__in=ONGOING_STATES)

    def completed(self):
        return self.filter(status__in=COMPLETED_STATES)

    def ongoing_in_year(self, year: int):
        """Contracted tasks running at some point of `year`."""
        return self.filter(status__in=PUBLIC_STATES, planned_start__year__lte=year).filter(
            Q(actual_end__year__gte=year) | Q(actual_end__isnull=True, planned_end__year__gte=year)
        )


class Task(models.Model):
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
        _("hình thức"), max_length=30, choices=TaskForm.choices, default=TaskForm.TOPIC
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
    planned_start = models.DateField(_("bắt đầu (dự kiến)"), null=True, blank=True)
    planned_end = models.DateField(_("kết thúc (dự kiến)"), null=True, blank=True)
    actual_start = models.DateField(_("bắt đầu (thực tế)"), null=True, blank=True)
    actual_end = models.DateField(_("kết thúc (thực tế)"), null=True, blank=True)
    total_budget = models.DecimalField(
        _("tổng kinh phí (triệu đồng)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    state_budget = models.DecimalField(
        _("kinh phí NSNN (triệu đồng)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    other_budget = models.DecimalField(
        _("nguồn khác (triệu đồng)"), max_digits=14, decimal_places=2, null=True, blank=True
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
        return reverse("projects:task_detail", args=[self.pk])

    def refresh_folded(self) -> None:
        """The accent-free key for filtering by title or code (also call before bulk_create)."""
        self.title_folded = fold_lower(f"{self.code} {self.title}")[:600]

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


# ---------------------------------------------------------------------------
# Proposals and duplicate checks
# ---------------------------------------------------------------------------
class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Editors see all; a reporter sees the proposals of their organizations; the
        proposer sees their own. Proposals are never public."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_editor:
            return self.all()
        return self.filter(Q(organization_id__in=_reporter_orgs(user)) | Q(proposer=user))

    def check_pending(self):
        """Submitted while the duplicate-check matrix was being rebuilt: checked after it."""
        return self.filter(status=ProposalStatus.SUBMITTED, checked_at__isnull=True)

    def editable_by(self, user):
        return (
            self.visible_to(user).filter(status=ProposalStatus.DRAFT)
            if not (user.is_authenticated and user.is_editor)
            else self.all()
        )


class Proposal(models.Model):
    """A task proposal (đề xuất đặt hàng nhiệm vụ) from an organization or researcher."""

    title = models.CharField(_("tên nhiệm vụ đề xuất"), max_length=500)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("đơn vị đề xuất"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("người đề xuất"),
    )
    level = models.ForeignKey(
        TaskLevel, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("cấp quản lý")
    )
    fields = models.ManyToManyField(FieldOfScience, blank=True, verbose_name=_("lĩnh vực KH&CN"))
    urgency = models.TextField(_("tính cấp thiết"), blank=True)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    content = models.TextField(_("nội dung chính"), blank=True)
    expected_results = models.TextField(_("kết quả dự kiến"), blank=True)
    application_address = models.TextField(_("địa chỉ ứng dụng"), blank=True)
    estimated_budget = models.DecimalField(
        _("kinh phí dự kiến (triệu đồng)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    top_score = models.FloatField(_("độ trùng cao nhất"), null=True, blank=True)
    flagged = models.BooleanField(_("nghi trùng lặp"), default=False)
    checked_at = models.DateTimeField(_("thời điểm tra cứu"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến xử lý"), blank=True)
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("nhiệm vụ được đặt hàng"),
    )
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề xuất nhiệm vụ")
        verbose_name_plural = _("đề xuất nhiệm vụ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:proposal_detail", args=[self.pk])

    def text_for_matching(self) -> str:
        return "\n".join(part for part in (self.title, self.objectives, self.content) if part)

    @property
    def check_pending(self) -> bool:
        return self.status == ProposalStatus.SUBMITTED and self.checked_at is None


class DuplicateMatch(models.Model):
    """One result of a duplicate check: a task or library document close to a proposal."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="matches", verbose_name=_("đề xuất")
    )
    rank = models.PositiveSmallIntegerField(_("thứ hạng"))
    kind = models.CharField(_("loại"), max_length=10, choices=MatchKind.choices)
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("nhiệm vụ"),
    )
    object_id = models.PositiveBigIntegerField(_("mã bản ghi"))
    title = models.CharField(_("tên"), max_length=500)
    score = models.FloatField(_("độ tương đồng"))
    proposal_html = models.TextField(_("đoạn trùng trong đề xuất"), blank=True)
    match_html = models.TextField(_("đoạn trùng trong bản ghi"), blank=True)
    checked_at = models.DateTimeField(_("thời điểm tra cứu"), auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả tra cứu trùng lặp")
        verbose_name_plural = _("kết quả tra cứu trùng lặp")
        ordering = ["proposal", "rank"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.title} ({self.score:.2f})"


# ---------------------------------------------------------------------------
# Councils, experts and evaluations
# ---------------------------------------------------------------------------
class Council(models.Model):
    """A council (hội đồng) convened for a task: identification, selection, acceptance..."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="councils", verbose_name=_("nhiệm vụ")
    )
    kind = models.CharField(_("loại hội đồng"), max_length=20, choices=CouncilKind.choices)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=100, blank=True)
    meeting_date = models.DateField(_("ngày họp"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("hội đồng")
        verbose_name_plural = _("hội đồng")
        ordering = ["task", "-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.task.code or self.task.title[:40]}"


class CouncilMember(models.Model):
    """An expert sitting on a council, with the role and the reasons they were chosen."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("hội đồng")
    )
    researcher = models.ForeignKey(
        "directory.Researcher",
        on_delete=models.PROTECT,
        related_name="council_seats",
        verbose_name=_("chuyên gia"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=CouncilRole.choices)
    reasons = models.TextField(_("lý do đề xuất"), blank=True)

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["council", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "researcher"], name="council_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.researcher} – {self.get_role_display()}"


class Evaluation(models.Model):
    """A council member's evaluation (phiếu đánh giá) of the task."""

    member = models.OneToOneField(
        CouncilMember,
        on_delete=models.CASCADE,
        related_name="evaluation",
        verbose_name=_("thành viên"),
    )
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    verdict = models.CharField(_("kết luận"), max_length=20, choices=EvaluationVerdict.choices)
    comments = models.TextField(_("nhận xét"), blank=True)
    date = models.DateField(_("ngày đánh giá"), default=date.today)

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["member"]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_verdict_display()}"


class ConflictOfInterest(models.Model):
    """An expert the editor marked as conflicted for a task: never recommended for it."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("nhiệm vụ")
    )
    researcher = models.ForeignKey(
        "directory.Researcher",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("chuyên gia"),
    )
    reason = models.CharField(_("lý do"), max_length=300)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người đánh dấu"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("xung đột lợi ích")
        verbose_name_plural = _("xung đột lợi ích")
        ordering = ["task", "researcher"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "researcher"], name="conflict_task_researcher_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.researcher} – {self.reason}"


# ---------------------------------------------------------------------------
# Results: registration (Mẫu 5), application (Mẫu 12), publications and IP
# ---------------------------------------------------------------------------
class ResultRegistration(models.Model):
    """Registration of a task's results (Mẫu 5) and its certificate (GCN đăng ký kết quả)."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, related_name="registration", verbose_name=_("nhiệm vụ")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.NOT_SUBMITTED,
    )
    registration_number = models.CharField(_("số đăng ký"), max_length=50, blank=True)
    submitted_on = models.DateField(_("ngày nộp"), null=True, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=50, blank=True)
    archive_number = models.CharField(_("số hồ sơ lưu"), max_length=50, blank=True, db_index=True)
    final_report = models.ForeignKey(
        "library.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("báo cáo tổng hợp (tài liệu thư viện)"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("đăng ký kết quả")
        verbose_name_plural = _("đăng ký kết quả")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="registration_certificate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.archive_number or self.get_status_display()}"


def registration_due_date(acceptance_date: date | None, has_ip: bool) -> date | None:
    """30 days after official acceptance; 60 when the results are filed as IP (TT 14/2014)."""
    if acceptance_date is None:
        return None
    return acceptance_date + timedelta(
        days=REGISTRATION_DAYS_WITH_IP if has_ip else REGISTRATION_DAYS
    )


class RegistrationFile(models.Model):
    """A file of the registration dossier (summary, minutes, data, source code...)."""

    registration = models.ForeignKey(
        ResultRegistration,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("hồ sơ đăng ký"),
    )
    kind = models.CharField(_("loại tệp"), max_length=30, choices=RegistrationFileKind.choices)
    file = models.FileField(_("tệp"), upload_to="projects/registrations/%Y/")
    description = models.CharField(_("mô tả"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tệp hồ sơ đăng ký")
        verbose_name_plural = _("tệp hồ sơ đăng ký")
        ordering = ["registration", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file.name}"


class ResultApplication(models.Model):
    """Application of a task's results in one year (Mẫu 12)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="applications", verbose_name=_("nhiệm vụ")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    place = models.CharField(_("nơi ứng dụng"), max_length=300)
    form = models.CharField(_("hình thức ứng dụng"), max_length=20, choices=ApplicationForm.choices)
    scale = models.CharField(_("quy mô"), max_length=300, blank=True)
    effect = models.TextField(_("hiệu quả kinh tế – xã hội"), blank=True)

    class Meta:
        verbose_name = _("ứng dụng kết quả")
        verbose_name_plural = _("ứng dụng kết quả")
        ordering = ["task", "-year"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.year} {self.place}"


class Publication(models.Model):
    """A publication (công bố) arising from a task."""

    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        verbose_name=_("nhiệm vụ"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=PublicationKind.choices)
    title = models.CharField(_("tên công bố"), max_length=500)
    authors = models.TextField(
        _("tác giả"), help_text=_("Mỗi tác giả cách nhau bằng dấu chấm phẩy.")
    )
    researchers = models.ManyToManyField(
        "directory.Researcher",
        blank=True,
        related_name="publications",
        verbose_name=_("tác giả trong danh bạ"),
    )
    venue = models.CharField(_("tạp chí / nhà xuất bản"), max_length=300, blank=True)
    issn = models.CharField(_("ISSN / ISBN"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    in_wos = models.BooleanField(_("thuộc WoS"), default=False)
    in_scopus = models.BooleanField(_("thuộc Scopus"), default=False)

    class Meta:
        verbose_name = _("công bố")
        verbose_name_plural = _("công bố")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class IPFiling(models.Model):
    """An intellectual-property filing (tài sản trí tuệ) arising from a task."""

    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ip_filings",
        verbose_name=_("nhiệm vụ"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=IPKind.choices)
    title = models.CharField(_("tên đối tượng"), max_length=500)
    application_number = models.CharField(_("số đơn"), max_length=50, blank=True)
    filed_on = models.DateField(_("ngày nộp đơn"), null=True, blank=True)
    applicant = models.CharField(_("chủ đơn"), max_length=300, blank=True)
    certificate_number = models.CharField(_("số văn bằng"), max_length=50, blank=True)
    granted_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=IPStatus.choices, default=IPStatus.FILED
    )

    class Meta:
        verbose_name = _("tài sản trí tuệ")
        verbose_name_plural = _("tài sản trí tuệ")
        ordering = ["-filed_on", "title"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


# ---------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------
class CatalogueBuild(models.Model):
    """A generated yearly catalogue (DOCX + PDF), built by a background task."""

    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại ấn phẩm"), max_length=20, choices=CatalogueKind.choices)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=BuildState.choices, default=BuildState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    entry_count = models.PositiveIntegerField(_("số mục"), default=0)
    docx = models.FileField(_("tệp DOCX"), upload_to="projects/catalogues/", blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="projects/catalogues/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    created_at = models.DateTimeField(_("ngày yêu cầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("ấn phẩm danh mục")
        verbose_name_plural = _("ấn phẩm danh mục")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @property
    def is_finished(self) -> bool:
        return self.state in (BuildState.DONE, BuildState.FAILED)
