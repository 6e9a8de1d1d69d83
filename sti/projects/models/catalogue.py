"""Builds of the yearly task catalogues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sti.projects.choices import (
    BuildState,
    CatalogueKind,
)


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
