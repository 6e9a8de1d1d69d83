"""Results: registration (Mẫu 5), application (Mẫu 12), publications. IP filings live in
the IP register (`sti.ip`); a task's filings are `task.ip_filings`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Q, When
from django.utils.translation import gettext_lazy as _

from sti.core.reports import per_period
from sti.projects.choices import (
    ApplicationKind,
    PublicationKind,
    RegistrationFileKind,
    RegistrationStatus,
)
from sti.projects.models.task import Task

# ---------------------------------------------------------------------------
# Results: registration (Mẫu 5), application (Mẫu 12), publications
# ---------------------------------------------------------------------------
REGISTRATION_DAYS = 30
REGISTRATION_DAYS_WITH_IP = 60


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
    form = models.CharField(_("hình thức ứng dụng"), max_length=20, choices=ApplicationKind.choices)
    scale = models.CharField(_("quy mô"), max_length=300, blank=True)
    effect = models.TextField(_("hiệu quả kinh tế – xã hội"), blank=True)

    class Meta:
        verbose_name = _("ứng dụng kết quả")
        verbose_name_plural = _("ứng dụng kết quả")
        ordering = ["task", "-year"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.year} {self.place}"


def _of_years(start, end) -> Q:
    return Q(year__gte=start.year, year__lte=end.year)


class PublicationQuerySet(models.QuerySet):
    # Publications are shown on their task's page, under the task's access rule; this
    # QuerySet carries the named report methods read by sti.analytics.
    def report_by_kind(self, periods, organizations=None) -> list[dict]:
        """{(kind, international): number} of the publications of the years of each period
        (a publication has a year, not a date); international = indexed in WoS or Scopus.
        With `organizations`: those of the tasks they host. One query for all periods."""
        queryset = self
        if organizations is not None:
            queryset = queryset.filter(task__host__in=organizations.values("pk"))
        queryset = queryset.annotate(
            international=Case(When(Q(in_wos=True) | Q(in_scopus=True), then=True), default=False)
        )
        return per_period(queryset, periods, _of_years, "kind", "international")


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

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("công bố")
        verbose_name_plural = _("công bố")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"
