"""What every built publication (a yearbook, an analytical report) records: the tracked job
that builds it, what it holds, how long it took, who asked. Abstract: each app keeps its
builds in its own table, with its own DOCX and PDF fields (its own upload folder)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BuiltPublication(models.Model):
    job = models.OneToOneField(
        "core.TrackedJob",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("công việc nền"),
    )
    tables = models.PositiveIntegerField(_("số bảng"), default=0)
    figures = models.PositiveIntegerField(_("số hình"), default=0)
    seconds = models.FloatField(_("thời gian tạo (giây)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    created_at = models.DateTimeField(_("ngày yêu cầu"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def state(self) -> str:
        return self.job.state if self.job else ""

    @property
    def is_finished(self) -> bool:
        return self.job is None or self.job.is_finished
