"""Report drafts: a template and a period chosen by an editor, the narrative of each section
kept as numbered versions (who, when, restored from which), the editor's explanations of the
figures that disagree, and the built DOCX/PDF files. Editors and administrators only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sti.core.access import AccessQuerySet, AccessRule
from sti.core.provinces import SCHEME_BEFORE, province_choices
from sti.publishing.models import BuiltPublication

# Reports are internal drafts for leaders until someone publishes them elsewhere: no grant,
# so only editors and administrators (who see everything) see them.
STAFF_ONLY = AccessRule(grants=[])


class ReportDraftQuerySet(AccessQuerySet):
    access_rule = STAFF_ONLY


class ReportDraft(models.Model):
    """A report being written: a template (`reports/templates_data/*.yaml`), whole years
    `start_year`–`end_year` and an area; its figures are computed from the records."""

    template_key = models.CharField(_("mẫu báo cáo"), max_length=100)
    title = models.CharField(_("tiêu đề"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    admin_unit = models.CharField(_("đơn vị hành chính"), max_length=20, blank=True)
    scheme = models.CharField(_("danh mục đơn vị hành chính"), max_length=10, default="2025")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = ReportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản thảo báo cáo phân tích")
        verbose_name_plural = _("bản thảo báo cáo phân tích")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="analytics_draft_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def area_label(self) -> str:
        """The province by name (not its code), and the old boundaries when chosen."""
        if not self.admin_unit:
            return ""
        name = dict(province_choices(self.scheme)).get(self.admin_unit, self.admin_unit)
        if self.scheme == SCHEME_BEFORE:
            return _("%(name)s (địa giới trước sáp nhập 2025)") % {"name": name}
        return name


class SectionVersion(models.Model):
    """One saved version of a section's narrative; the newest is the current text."""

    draft = models.ForeignKey(
        ReportDraft, on_delete=models.CASCADE, related_name="versions", verbose_name=_("bản thảo")
    )
    section = models.CharField(_("mục"), max_length=50)
    number = models.PositiveIntegerField(_("phiên bản"))
    text = models.TextField(_("nội dung"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người viết"),
    )
    restored_from = models.PositiveIntegerField(_("khôi phục từ phiên bản"), null=True, blank=True)
    created_at = models.DateTimeField(_("lúc lưu"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản nội dung mục")
        verbose_name_plural = _("phiên bản nội dung mục")
        ordering = ["draft", "section", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "section", "number"], name="analytics_section_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft} – {self.section} v{self.number}"


class CheckNote(models.Model):
    """An editor's explanation of figures that disagree (one consistency check of a draft);
    it becomes a footnote of the built report."""

    draft = models.ForeignKey(
        ReportDraft,
        on_delete=models.CASCADE,
        related_name="check_notes",
        verbose_name=_("bản thảo"),
    )
    check_key = models.CharField(_("kiểm tra"), max_length=100)
    explanation = models.TextField(_("giải thích"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người giải thích"),
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("giải thích số liệu chênh lệch")
        verbose_name_plural = _("giải thích số liệu chênh lệch")
        ordering = ["draft", "check_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "check_key"], name="analytics_check_note_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft} – {self.check_key}"


class ReportBuildQuerySet(AccessQuerySet):
    access_rule = STAFF_ONLY

    def finished(self):
        return self.filter(job__state="done").exclude(pdf="")


class ReportBuild(BuiltPublication):
    """The DOCX and PDF of a draft, built by the worker (progress on its job)."""

    draft = models.ForeignKey(
        ReportDraft, on_delete=models.CASCADE, related_name="builds", verbose_name=_("bản thảo")
    )
    docx = models.FileField(_("tệp DOCX"), upload_to="analytics/reports/", blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="analytics/reports/", blank=True)
    footnotes = models.PositiveIntegerField(_("số chú thích"), default=0)

    objects = ReportBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp báo cáo phân tích")
        verbose_name_plural = _("tệp báo cáo phân tích")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.draft)
