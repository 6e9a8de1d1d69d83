from django.db import models
from django.utils.translation import gettext_lazy as _


class UserRole(models.TextChoices):
    """Site-wide role. Reporter and expert are derived: from memberships and expert profiles."""

    REGISTERED = "registered", _("Người dùng đăng ký")
    EDITOR = "editor", _("Biên tập viên")
    ADMIN = "admin", _("Quản trị hệ thống")


class MembershipRole(models.TextChoices):
    REPORTER = "reporter", _("Người báo cáo của tổ chức")
    MEMBER = "member", _("Thành viên")
