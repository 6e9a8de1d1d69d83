"""Task proposals and the duplicate matches found for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sti.core.access import REPORTER, USER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.models import ChoiceLabelsMixin, FieldOfScience, TaskLevel
from sti.projects.choices import (
    MatchKind,
    ProposalStatus,
)
from sti.projects.models.task import Task


# ---------------------------------------------------------------------------
# Proposals and duplicate checks
# ---------------------------------------------------------------------------
class ProposalQuerySet(AccessQuerySet):
    # Proposals are never public: editors see all, a reporter the proposals of their
    # organizations, the proposer their own.
    access_rule = AccessRule(
        grants=[Grant(REPORTER, field="organization_id"), Grant(USER, field="proposer_id")]
    )

    def check_pending(self):
        """Submitted while the duplicate-check matrix was being rebuilt: checked after it."""
        return self.filter(status=ProposalStatus.SUBMITTED, checked_at__isnull=True)

    def editable_by(self, user):
        return (
            self.visible_to(user).filter(status=ProposalStatus.DRAFT)
            if not (user.is_authenticated and user.is_editor)
            else self.all()
        )


class Proposal(ChoiceLabelsMixin, models.Model):
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
        return record_url("projects:proposal_detail", self.pk)

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
