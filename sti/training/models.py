"""Training courses: the course and its sessions and trainers, the registrations (with the
waiting list), attendance per session and the certificates of those who attended enough."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, REPORTER, USER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.models import FieldOfScience
from sti.core.reports import per_period, within
from sti.core.text import fold_lower
from sti.directory.choices import OrganizationKind
from sti.training.choices import CourseStatus, DeliveryKind, LearnerGender, RegistrationStatus

# States in which a course has learners (counted by the statistics).
HELD_STATES = (CourseStatus.OPEN, CourseStatus.CLOSED, CourseStatus.RUNNING, CourseStatus.FINISHED)
# States in which a registration holds or waits for a seat.
ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class CourseQuerySet(AccessQuerySet):
    # Published courses are public; drafts are seen by editors and the organizer's reporters.
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=~Q(status=CourseStatus.DRAFT)),
            Grant(REPORTER, field="organizer_id"),
        ]
    )

    def in_year(self, year: int):
        return self.filter(starts_on__year=year)

    # -- Named report methods (read by sti.analytics). `organizations` is None for every
    # organizer or a QuerySet of organizations (an area).
    def held(self, organizations=None):
        """Courses neither drafts nor cancelled (of `organizations` when given); "held in a
        period" means started in it (`starts_on`)."""
        queryset = self.exclude(status__in=(CourseStatus.DRAFT, CourseStatus.CANCELLED))
        if organizations is not None:
            queryset = queryset.filter(organizer__in=organizations.values("pk"))
        return queryset

    def report_by_delivery(self, periods, organizations=None) -> list[dict[str, int]]:
        """{delivery: number} of the courses held in each period (one query)."""
        return per_period(self.held(organizations), periods, within("starts_on"), "delivery")


class Course(models.Model):
    """A training course (lớp tập huấn, khóa đào tạo) run by an organization."""

    title = models.CharField(_("tên khóa học"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    audience = models.CharField(
        _("đối tượng"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: cán bộ thông tin KH&CN cấp huyện, doanh nghiệp nhỏ và vừa."),
    )
    fields = models.ManyToManyField(FieldOfScience, blank=True, verbose_name=_("lĩnh vực"))
    organizer = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("đơn vị tổ chức"),
    )
    delivery = models.CharField(
        _("hình thức"), max_length=10, choices=DeliveryKind.choices, default=DeliveryKind.ONSITE
    )
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    online_url = models.URLField(_("đường dẫn học trực tuyến"), blank=True)
    capacity = models.PositiveIntegerField(_("số chỗ"))
    has_waiting_list = models.BooleanField(
        _("nhận danh sách chờ"),
        default=True,
        help_text=_("Khi hết chỗ, người đăng ký sau được đưa vào danh sách chờ."),
    )
    registration_opens = models.DateTimeField(_("mở đăng ký từ"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("hạn đăng ký"), null=True, blank=True)
    fee = models.DecimalField(
        _("học phí (đồng)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Để trống nếu miễn phí."),
    )
    sessions_for_certificate = models.PositiveSmallIntegerField(
        _("số buổi tối thiểu để được cấp chứng nhận"),
        null=True,
        blank=True,
        help_text=_("Để trống: phải dự đủ tất cả các buổi."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    # The dates of the first and last sessions, kept by the services (lists, filters, statistics).
    starts_on = models.DateField(_("ngày khai giảng"), null=True, blank=True, db_index=True)
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    title_folded = models.CharField(_("tên không dấu"), max_length=300, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa học")
        verbose_name_plural = _("khóa học")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gte=models.F("registration_opens")),
                name="course_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold_lower(self.title)[:300]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("training:course_detail", self.pk)

    @property
    def is_free(self) -> bool:
        return not self.fee

    @property
    def fee_text(self) -> str:
        """The fee in đồng with Vietnamese digit grouping ("800.000 đ"); "" when free."""
        return f"{int(self.fee):,} đ".replace(",", ".") if self.fee else ""


class TrainerQuerySet(AccessQuerySet):
    # Trainers are shown with their course: whoever sees the course sees them.
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=~Q(course__status=CourseStatus.DRAFT)),
            Grant(REPORTER, field="course__organizer_id"),
        ]
    )


class Trainer(models.Model):
    """A trainer of a course: a researcher of the directory, or a name."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="trainers", verbose_name=_("khóa học")
    )
    researcher = models.ForeignKey(
        "directory.Researcher",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses_taught",
        verbose_name=_("nhà khoa học trong danh bạ"),
    )
    name = models.CharField(
        _("họ tên giảng viên"),
        max_length=150,
        blank=True,
        help_text=_("Để trống nếu đã chọn nhà khoa học trong danh bạ."),
    )
    affiliation = models.CharField(_("đơn vị công tác"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = TrainerQuerySet.as_manager()

    class Meta:
        verbose_name = _("giảng viên")
        verbose_name_plural = _("giảng viên")
        ordering = ["course", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(researcher__isnull=False) | ~Q(name=""), name="trainer_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.researcher.display_name if self.researcher_id else "")


class CourseSessionQuerySet(AccessQuerySet):
    access_rule = TrainerQuerySet.access_rule


class CourseSession(models.Model):
    """One session (buổi học) of a course."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("khóa học")
    )
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    topic = models.CharField(_("nội dung buổi học"), max_length=300, blank=True)

    objects = CourseSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi học")
        verbose_name_plural = _("buổi học")
        ordering = ["course", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.starts_at:%d/%m/%Y %H:%M}"


class RegistrationQuerySet(AccessQuerySet):
    # A learner sees their own registrations; the organizer's reporters and editors see all.
    access_rule = AccessRule(
        grants=[
            Grant(USER, field="user_id"),
            Grant(REPORTER, field="course__organizer_id"),
        ]
    )

    def active(self):
        return self.filter(status__in=ACTIVE_REGISTRATION)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def report_learners_by_gender(self, periods, organizations=None) -> list[dict[str, int]]:
        """{gender: number} of the confirmed learners of the courses held in each period."""
        courses = Course.objects.held(organizations)
        learners = self.confirmed().filter(course__in=courses.values("pk"))
        return per_period(learners, periods, within("course__starts_on"), "gender")

    def waiting(self):
        """The waiting list, first come first served."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")


class Registration(models.Model):
    """A person's registration for a course: confirmed, on the waiting list, or cancelled.

    Registered users register with their account (`user`); the public give their name and
    e-mail. At most one active registration per course and e-mail, and per course and user.
    """

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("khóa học")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_registrations",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    email = models.EmailField(_("thư điện tử"))
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    organization_name = models.CharField(_("cơ quan, đơn vị"), max_length=300, blank=True)
    organization_kind = models.CharField(
        _("loại hình cơ quan"), max_length=30, choices=OrganizationKind.choices, blank=True
    )
    gender = models.CharField(
        _("giới tính"), max_length=10, choices=LearnerGender.choices, blank=True
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    created_at = models.DateTimeField(_("thời điểm đăng ký"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("được chuyển từ danh sách chờ lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("đã gửi nhắc lịch lúc"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký khóa học")
        verbose_name_plural = _("đăng ký khóa học")
        ordering = ["course", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="registration_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["course", "user"],
                condition=Q(status__in=["confirmed", "waiting"], user__isnull=False),
                name="registration_one_active_per_user",
            ),
        ]
        indexes = [models.Index(fields=["course", "status"], name="registration_course_status")]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.course}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Attendance(models.Model):
    """A learner present at one session (a row exists only for those present)."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("học viên"),
    )
    session = models.ForeignKey(
        CourseSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("buổi học"),
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["session", "registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.full_name} – {self.session}"


class CertificateQuerySet(AccessQuerySet):
    # The holder (with an account), the organizer's reporters and editors list certificates;
    # anyone holding the verification code may verify one (`by_code`).
    access_rule = AccessRule(
        grants=[
            Grant(USER, field="registration__user_id"),
            Grant(REPORTER, field="registration__course__organizer_id"),
        ]
    )

    def by_code(self, code: str):
        """The certificate with this verification code (the code is the secret)."""
        return self.select_related("registration__course__organizer").filter(code=code)


class Certificate(models.Model):
    """A certificate of completion for a learner who attended enough sessions."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("học viên"),
    )
    code = models.CharField(_("mã xác thực"), max_length=40, unique=True)
    number = models.CharField(_("số chứng nhận"), max_length=30, unique=True)
    holder_name = models.CharField(_("họ tên người được cấp"), max_length=150)
    issued_on = models.DateField(_("ngày cấp"))
    sessions_attended = models.PositiveSmallIntegerField(_("số buổi tham dự"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} – {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("training:certificate_verify", args=[self.code])
