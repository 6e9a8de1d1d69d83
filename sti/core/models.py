"""Code lists (versioned reference data) and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sti.core.choices import AdminUnitKind, AuditAction


class CodeListVersion(models.Model):
    """A version of a code list, e.g. the S&T field classification of QĐ 12/2008 or TT 24/2025.

    Both versions of a list coexist: old records keep the codes they were filed under.
    """

    list_name = models.CharField(_("danh mục"), max_length=50)
    version = models.CharField(_("phiên bản"), max_length=30)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    is_current = models.BooleanField(_("đang dùng"), default=False)

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = _("phiên bản danh mục")
        ordering = ["list_name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "version"], name="codelist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.list_name} {self.version}"


class FieldOfScienceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(version__is_current=True)

    def level(self, level: int):
        return self.filter(level=level)

    def labels(self) -> dict[str, str]:
        """{code: name in the current language} for facet and filter labels."""
        return {
            code: _localized(name, name_en)
            for code, name, name_en in self.values_list("code", "name", "name_en")
        }

    def choices(self) -> list[tuple[str, str]]:
        """(code, "code name") for select boxes, each level indented under its parent."""
        return [
            (code, "\u2003" * (level - 1) + f"{code} {_localized(name, name_en)}")
            for code, name, name_en, level in self.order_by("code").values_list(
                "code", "name", "name_en", "level"
            )
        ]


def _localized(name: str, name_en: str) -> str:
    """The English name when the page is in English and the code list has one."""
    return name_en if name_en and (get_language() or "").startswith("en") else name


class FieldOfScience(models.Model):
    """A class of the S&T field classification (lĩnh vực KH&CN), levels 1–4."""

    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("lĩnh vực cha"),
    )
    maps_to = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("tương ứng ở phiên bản khác")
    )

    objects = FieldOfScienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("lĩnh vực KH&CN")
        verbose_name_plural = _("lĩnh vực KH&CN")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="field_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return _localized(self.name, self.name_en)


class TaskLevel(models.Model):
    """Management level of an S&T task (cấp quản lý): national, ministry, city, grassroots..."""

    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_legacy = models.BooleanField(_("chỉ dùng cho dữ liệu cũ"), default=False)

    class Meta:
        verbose_name = _("cấp quản lý nhiệm vụ")
        verbose_name_plural = _("cấp quản lý nhiệm vụ")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="tasklevel_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self.name, self.name_en)


class AdminUnit(models.Model):
    """An administrative unit (đơn vị hành chính), with the 2025 merger recorded as `merged_into`."""

    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    kind = models.CharField(_("loại"), max_length=20, choices=AdminUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("trực thuộc"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    valid_until = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="adminunit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who did what to which record, when, and which fields changed (old → new)."""

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("loại bản ghi"), max_length=100, db_index=True)
    object_id = models.CharField(_("mã bản ghi"), max_length=64, db_index=True)
    object_repr = models.CharField(_("bản ghi"), max_length=300)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
