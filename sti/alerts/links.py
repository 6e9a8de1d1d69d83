"""The addresses a digest carries: the signed one-click unsubscribe link and the private
feed addresses (absolute, from SITE_URL, since mail is read outside the site)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from sti.alerts.models import SavedSearch

UNSUBSCRIBE_SALT = "sti.alerts.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def unsubscribe_token(saved: SavedSearch) -> str:
    return signing.dumps({"s": saved.pk, "u": saved.user_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(saved: SavedSearch) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(saved)]))


def saved_search_from_token(token: str) -> SavedSearch:
    """The saved search a signed unsubscribe link names; a tampered or stale link (the search
    deleted, or given to another user) raises ValidationError."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return SavedSearch.objects.select_related("user").get(
            pk=int(data["s"]), user_id=int(data["u"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, SavedSearch.DoesNotExist):
        raise ValidationError(
            _("Liên kết hủy nhận thư không hợp lệ hoặc tìm kiếm đã bị xóa.")
        ) from None


def feed_url(token: str, saved: SavedSearch, kind: str = "rss") -> str:
    return absolute(reverse(f"alerts:feed_{kind}", args=[token, saved.pk]))
