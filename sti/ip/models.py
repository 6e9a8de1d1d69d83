"""The IP register: applications for and grants of industrial-property titles and plant
variety protection (Luật Sở hữu trí tuệ), of the city's applicants.

A filing may come from an S&T task (`task`, its results filed as IP); the task page lists
the filings through the register (`sti.ip.related`). The statistics forms read the named
report methods of `FilingQuerySet` (`sti.ip.services.counts`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.access import MEMBER, PUBLIC, AccessQuerySet, AccessRule, Grant
from sti.core.models import ChoiceLabelsMixin
from sti.core.reports import per_period, within
from sti.core.text import fold_lower
from sti.ip.choices import FilingStatus, IPKind

# An application is published in the IP Gazette once it passes the formal examination; a
# just-filed or withdrawn-before-publication one is seen by its applicant and the editors.
PUBLIC_STATES = (FilingStatus.EXAMINED, FilingStatus.GRANTED, FilingStatus.REFUSED)


class FilingQuerySet(AccessQuerySet):
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=Q(status__in=PUBLIC_STATES)),
            Grant(MEMBER, field="applicant_organization_id"),
        ]
    )

    def granted(self):
        return self.filter(status=FilingStatus.GRANTED)

    def filed_between(self, start, end):
        """Applications filed from `start` to `end`, both included (None: open)."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(filed_on__gte=start)
        if end is not None:
            queryset = queryset.filter(filed_on__lte=end)
        return queryset

    def granted_between(self, start, end):
        queryset = self.granted()
        if start is not None:
            queryset = queryset.filter(granted_on__gte=start)
        if end is not None:
            queryset = queryset.filter(granted_on__lte=end)
        return queryset

    # -- Named report methods (read by sti.analytics). `organizations` is None for every
    # applicant or a QuerySet of organizations (an area).
    def filed_by(self, organizations=None):
        if organizations is None:
            return self
        return self.filter(applicant_organization__in=organizations.values("pk"))

    def report_filings_by_kind(self, periods, organizations=None) -> list[dict[str, int]]:
        """{kind: number} of the applications filed in each period (withdrawn ones too: they
        were filed). One query for all periods."""
        return per_period(self.filed_by(organizations), periods, within("filed_on"), "kind")

    def report_grants_by_kind(self, periods, organizations=None) -> list[dict[str, int]]:
        """{kind: number} of the titles granted in each period."""
        granted = self.granted().filed_by(organizations)
        return per_period(granted, periods, within("granted_on"), "kind")


class Filing(ChoiceLabelsMixin, models.Model):
    """An application (đơn đăng ký) for an IP title, and the title (văn bằng) once granted."""

    kind = models.CharField(_("loại đối tượng"), max_length=20, choices=IPKind.choices)
    title = models.CharField(_("tên đối tượng"), max_length=500)
    application_number = models.CharField(_("số đơn"), max_length=50, blank=True)
    filed_on = models.DateField(_("ngày nộp đơn"), null=True, blank=True)
    applicant_organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ip_filings",
        verbose_name=_("tổ chức nộp đơn"),
    )
    applicant_name = models.CharField(
        _("chủ đơn"),
        max_length=300,
        blank=True,
        help_text=_("Tên cá nhân, hoặc tên tổ chức chưa có trong danh bạ."),
    )
    task = models.ForeignKey(
        "projects.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ip_filings",
        verbose_name=_("nhiệm vụ KH&CN"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.FILED
    )
    grant_number = models.CharField(_("số văn bằng"), max_length=50, blank=True)
    granted_on = models.DateField(_("ngày cấp văn bằng"), null=True, blank=True)
    title_folded = models.CharField(
        _("tên không dấu"), max_length=900, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn sở hữu trí tuệ")
        verbose_name_plural = _("đơn sở hữu trí tuệ")
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "status"], name="ip_filing_kind_status"),
            models.Index(fields=["filed_on"], name="ip_filing_filed_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "application_number"],
                condition=~Q(application_number=""),
                name="ip_filing_application_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(granted_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(granted_on__gte=models.F("filed_on")),
                name="ip_filing_granted_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def save(self, *args, **kwargs):
        self.refresh_folded()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ip:filing_detail", args=[self.pk])

    def refresh_folded(self) -> None:
        """The accent-free search key (also called before `bulk_create`)."""
        self.title_folded = fold_lower(
            " ".join(
                part for part in (self.title, self.application_number, self.grant_number) if part
            )
        )[:900]

    @property
    def applicant(self) -> str:
        """Who filed: the directory's organization, else the name on the application."""
        if self.applicant_organization_id:
            return self.applicant_organization.name
        return self.applicant_name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.status == FilingStatus.GRANTED:
            if not self.grant_number:
                errors["grant_number"] = _("Cần nhập số văn bằng khi đã cấp.")
            if not self.granted_on:
                errors["granted_on"] = _("Cần nhập ngày cấp văn bằng.")
        if self.filed_on and self.granted_on and self.granted_on < self.filed_on:
            errors["granted_on"] = _("Ngày cấp không thể trước ngày nộp đơn.")
        if not self.applicant_organization_id and not self.applicant_name:
            errors["applicant_name"] = _("Cần chọn tổ chức nộp đơn hoặc nhập tên chủ đơn.")
        if errors:
            raise ValidationError(errors)
