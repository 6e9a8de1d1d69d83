"""Users, their site-wide role, and their membership in organizations."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from sti.accounts.choices import MembershipRole, UserRole


class User(AbstractUser):
    """A person with an account. Roles (ARCHITECTURE.md): registered, organization reporter
    (through `Membership`), expert (through a researcher profile), editor, administrator."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=20, choices=UserRole.choices, default=UserRole.REGISTERED
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_editor(self) -> bool:
        """Center staff: editors and administrators see and moderate everything."""
        return self.is_active and (
            self.is_superuser or self.role in (UserRole.EDITOR, UserRole.ADMIN)
        )

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == UserRole.ADMIN)

    @property
    def is_expert(self) -> bool:
        profile = getattr(self, "researcher_profile", None)
        return bool(profile and profile.is_expert)

    @cached_property
    def _memberships(self) -> list[Membership]:
        return list(self.memberships.filter(is_active=True).select_related("organization"))

    def organization_ids(self) -> list[int]:
        return [membership.organization_id for membership in self._memberships]

    def reporter_organization_ids(self) -> list[int]:
        return [m.organization_id for m in self._memberships if m.role == MembershipRole.REPORTER]

    def is_reporter_for(self, organization_id: int | None) -> bool:
        return organization_id is not None and organization_id in self.reporter_organization_ids()


class Membership(models.Model):
    """A user acting for an organization: a reporter files its statistics, offers and proposals."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("tổ chức"),
    )
    role = models.CharField(
        _("vai trò"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.REPORTER
    )
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên tổ chức")
        verbose_name_plural = _("thành viên tổ chức")
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_user_org_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A bearer token for the write endpoints of the API; only its hash is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("người dùng")
    )
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(_("mã băm"), max_length=64, unique=True)
    prefix = models.CharField(_("tiền tố"), max_length=8)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng cuối"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
