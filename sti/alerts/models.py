"""Selective dissemination: saved searches and follows, the digests sent for them, and the
private feed token of each user.

A follow is a saved search whose only filter is one facet value (`field=401`,
`organization=12`, `series=3`): anything the search index offers as a facet can be followed,
and digests treat both alike. Saved searches are personal: only their owner opens them
(`SavedSearchQuerySet.owned_by`); the access rule (the owner, and staff through the admin)
is declared for the platform's checks.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sti.alerts.choices import AlertKind, DigestFrequency
from sti.core.access import USER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url


class SavedSearchQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(USER, field="user_id")])

    def owned_by(self, user):
        """The user's own saved searches (editors included: they are personal)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def with_digest(self):
        """Those whose owner asked for e-mail digests and can receive them."""
        return self.exclude(frequency=DigestFrequency.NONE).filter(
            user__is_active=True, user__email__gt=""
        )


class SavedSearch(models.Model):
    """A search (text, facet filters, year span) a user wants to hear about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("người dùng"),
    )
    kind = models.CharField(
        _("loại"), max_length=10, choices=AlertKind.choices, default=AlertKind.SEARCH
    )
    name = models.CharField(_("tên"), max_length=200)
    query = models.CharField(_("từ khóa"), max_length=500, blank=True)
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    year_from = models.IntegerField(_("từ năm"), null=True, blank=True)
    year_to = models.IntegerField(_("đến năm"), null=True, blank=True)
    frequency = models.CharField(
        _("tần suất gửi thư"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    # Digests cover the records listed after this moment (the end of the last digest).
    covered_until = models.DateTimeField(_("đã thông báo đến"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-created_at", "-id"]
        verbose_name = _("tìm kiếm đã lưu")
        verbose_name_plural = _("tìm kiếm đã lưu")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_from__isnull=True)
                | Q(year_to__isnull=True)
                | Q(year_from__lte=models.F("year_to")),
                name="alerts_savedsearch_year_span",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("alerts:edit", self.pk)

    def search_params(self) -> list[tuple[str, str]]:
        """The saved search as search-page parameters (for its "open in search" link)."""
        params = [("q", self.query)] if self.query else []
        for name, values in sorted(self.filters.items()):
            params += [(name, str(value)) for value in values]
        if self.year_from is not None:
            params.append(("year_from", str(self.year_from)))
        if self.year_to is not None:
            params.append(("year_to", str(self.year_to)))
        return params


class DigestRunQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(USER, field="saved_search__user_id")])


class DigestRun(models.Model):
    """One digest of one saved search for one period (a day, or the week starting on
    `period`): written once, under the saved search's row lock, so that two workers never
    send the same period twice. `uids` are the records it listed (never listed again)."""

    saved_search = models.ForeignKey(
        SavedSearch,
        on_delete=models.CASCADE,
        related_name="digest_runs",
        verbose_name=_("tìm kiếm đã lưu"),
    )
    period = models.DateField(_("kỳ"))
    window_start = models.DateTimeField(_("từ thời điểm"))
    window_end = models.DateTimeField(_("đến thời điểm"))
    new_count = models.PositiveIntegerField(_("số bản ghi mới"), default=0)
    uids = models.JSONField(_("bản ghi đã gửi"), default=list, blank=True)
    emailed = models.BooleanField(_("đã gửi thư"), default=False)
    created_at = models.DateTimeField(_("thời điểm chạy"), auto_now_add=True)

    objects = DigestRunQuerySet.as_manager()

    class Meta:
        ordering = ["saved_search", "-period", "-id"]
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("các lần gửi thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "period"], name="alerts_digestrun_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search} · {self.period:%d/%m/%Y}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FeedTokenQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(USER, field="user_id")])


class FeedToken(models.Model):
    """The secret in a user's private feed addresses; replacing it revokes the old ones."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_token",
        verbose_name=_("người dùng"),
    )
    token = models.CharField(_("mã bí mật"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã nguồn tin riêng")
        verbose_name_plural = _("mã nguồn tin riêng")

    def __str__(self) -> str:
        return str(self.user)
