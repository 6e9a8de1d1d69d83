"""Councils, their members, evaluations and conflict-of-interest declarations."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sti.core.reports import per_period, within
from sti.projects.choices import (
    CouncilKind,
    CouncilRole,
    EvaluationVerdict,
)
from sti.projects.models.task import Task


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


class EvaluationQuerySet(models.QuerySet):
    # Evaluations are seen only inside their council's pages (sti.projects.councils); this
    # QuerySet carries the named report method read by sti.analytics.
    def report_by_council_kind(self, periods, organizations=None) -> list[dict[str, int]]:
        """{council kind: number} of the evaluations (expert reviews) dated in each period,
        of the tasks hosted by `organizations` when given (one query)."""
        queryset = self
        if organizations is not None:
            queryset = queryset.filter(member__council__task__host__in=organizations.values("pk"))
        return per_period(queryset, periods, within("date"), "member__council__kind")


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

    objects = EvaluationQuerySet.as_manager()

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
