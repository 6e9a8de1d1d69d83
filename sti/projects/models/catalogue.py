"""Builds of the yearly task catalogues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sti.core.models import TrackedJob
from sti.projects.choices import CatalogueKind


# ---------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------
class CatalogueBuild(models.Model):
    """A generated yearly catalogue (DOCX + PDF), built by a background task."""

    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại ấn phẩm"), max_length=20, choices=CatalogueKind.choices)
    job = models.OneToOneField(
        TrackedJob,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("công việc nền"),
    )
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

    class Meta:
        verbose_name = _("ấn phẩm danh mục")
        verbose_name_plural = _("ấn phẩm danh mục")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    # The build's progress lives on its tracked job (core.jobs).
    @property
    def state(self) -> str:
        return self.job.state if self.job else ""

    @property
    def progress(self) -> int:
        return self.job.percent if self.job else 0

    @property
    def message(self) -> str:
        return (self.job.error or self.job.message) if self.job else ""

    @property
    def is_finished(self) -> bool:
        return self.job is None or self.job.is_finished
