"""Saving searches, following facets, unsubscribing and the private feed token.

Every verb checks who acts, writes in one transaction and leaves an audit row. Digests are
worker-side work (`jobs.py`), named here for the command line and the views.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sti.alerts import access, tasks
from sti.alerts.choices import AlertKind, DigestFrequency
from sti.alerts.describe import describe
from sti.alerts.jobs import DigestOutcome, run_due_digests, send_digest
from sti.alerts.links import saved_search_from_token, unsubscribe_token
from sti.alerts.models import FeedToken, SavedSearch, new_feed_token
from sti.core import audit
from sti.core import jobs as tracked_jobs
from sti.core.choices import AuditAction
from sti.core.text import normalize
from sti.search.registry import ORGANIZATION_TAG, type_labels

MAX_SAVED_SEARCHES = 100
MAX_FILTER_NAMES = 10
MAX_FILTER_VALUES = 20
MAX_VALUE_CHARS = 100
_FACET_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_FIELD_CODE = re.compile(r"^\d{1,7}$")


# ---------------------------------------------------------------------------
# Checking what is saved
# ---------------------------------------------------------------------------
def clean_filters(filters) -> dict[str, list[str]]:
    """Facet filters as the search core takes them; a name or value it cannot hold is a
    ValidationError with a Vietnamese message (never stored, never a 500 later)."""
    if not isinstance(filters, dict):
        raise ValidationError(_("Bộ lọc không hợp lệ."))
    if len(filters) > MAX_FILTER_NAMES:
        raise ValidationError(
            _("Tối đa %(n)s loại bộ lọc cho một tìm kiếm.") % {"n": MAX_FILTER_NAMES}
        )
    types = type_labels()
    out: dict[str, list[str]] = {}
    for name, values in filters.items():
        if not isinstance(name, str) or not _FACET_NAME.match(name):
            raise ValidationError(_("Tên bộ lọc “%(name)s” không hợp lệ.") % {"name": name})
        values = [values] if isinstance(values, str) else list(values or ())
        values = list(dict.fromkeys(normalize(str(v)).strip() for v in values))
        values = [v for v in values if v]
        if not values:
            continue
        if len(values) > MAX_FILTER_VALUES:
            raise ValidationError(
                _("Tối đa %(n)s giá trị cho một bộ lọc.") % {"n": MAX_FILTER_VALUES}
            )
        for value in values:
            if len(value) > MAX_VALUE_CHARS:
                raise ValidationError(_("Giá trị bộ lọc quá dài."))
            if name == "type" and value not in types:
                raise ValidationError(_("Không có loại bản ghi “%(v)s”.") % {"v": value})
            if name == "field" and not _FIELD_CODE.match(value):
                raise ValidationError(_("Mã lĩnh vực “%(v)s” không hợp lệ.") % {"v": value})
            if name in ("year", ORGANIZATION_TAG) and not value.isdigit():
                raise ValidationError(_("Giá trị “%(v)s” không hợp lệ.") % {"v": value})
        out[name] = values
    return out


def _check(saved: SavedSearch) -> None:
    saved.name = normalize(saved.name or "").strip()
    saved.query = normalize(saved.query or "").strip()
    saved.filters = clean_filters(saved.filters)
    if not saved.name:
        raise ValidationError({"name": _("Hãy đặt tên cho tìm kiếm.")})
    if saved.frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Tần suất gửi thư không hợp lệ.")})
    if saved.year_from and saved.year_to and saved.year_from > saved.year_to:
        raise ValidationError(_("Năm bắt đầu phải trước năm kết thúc."))
    if not (saved.query or saved.filters or saved.year_from or saved.year_to):
        raise ValidationError(
            _("Tìm kiếm trống: hãy nhập từ khóa hoặc chọn ít nhất một bộ lọc rồi lưu.")
        )


def _check_room(actor) -> None:
    if SavedSearch.objects.owned_by(actor).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("Mỗi tài khoản lưu tối đa %(n)s tìm kiếm; hãy xóa bớt.") % {"n": MAX_SAVED_SEARCHES}
        )


# ---------------------------------------------------------------------------
# Verbs
# ---------------------------------------------------------------------------
@transaction.atomic
def save_search(
    actor,
    *,
    name: str,
    query: str = "",
    filters: dict | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    frequency: str = DigestFrequency.WEEKLY,
) -> SavedSearch:
    if not access.can_save_search(actor):
        raise PermissionDenied
    _check_room(actor)
    saved = SavedSearch(
        user=actor,
        kind=AlertKind.SEARCH,
        name=name,
        query=query,
        filters=filters or {},
        year_from=year_from,
        year_to=year_to,
        frequency=frequency,
    )
    _check(saved)
    saved.save()
    audit.record_create(actor, saved)
    return saved


def facet_label(name: str, value: str) -> str:
    """A readable name for a facet value ("Tổ chức: Viện Lúa …"), a follow's default name."""
    probe = SavedSearch(filters={name: [value]})
    describe([probe])
    label, values = probe.summary[0]
    return f"{label}: {values[0]}"


@transaction.atomic
def follow(
    actor, name: str, value: str, *, label: str = "", frequency=DigestFrequency.WEEKLY
) -> tuple[SavedSearch, bool]:
    """Follow one facet value (a field, an organization, a series): a saved search with that
    one filter. Following it again returns the existing follow (created False)."""
    if not access.can_save_search(actor):
        raise PermissionDenied
    filters = clean_filters({name: [value]})
    if not filters:
        raise ValidationError(_("Chưa chọn điều cần theo dõi."))
    for existing in SavedSearch.objects.owned_by(actor).filter(kind=AlertKind.FOLLOW):
        if existing.filters == filters:
            return existing, False
    _check_room(actor)
    saved = SavedSearch(
        user=actor,
        kind=AlertKind.FOLLOW,
        name=(normalize(label).strip()[:200] or facet_label(name, filters[name][0])),
        filters=filters,
        frequency=frequency,
    )
    _check(saved)
    saved.save()
    audit.record_create(actor, saved)
    return saved, True


@transaction.atomic
def update_saved_search(actor, saved: SavedSearch, data: dict) -> SavedSearch:
    """Change the name, frequency, query text or year span of the actor's own search."""
    if not access.can_edit_saved_search(actor, saved):
        raise PermissionDenied
    before = audit.snapshot(saved)
    for key in ("name", "frequency", "query", "year_from", "year_to"):
        if key in data:
            setattr(saved, key, data[key])
    if "filters" in data:
        saved.filters = data["filters"]
    _check(saved)
    saved.save()
    audit.record_update(actor, saved, before)
    return saved


@transaction.atomic
def delete_saved_search(actor, saved: SavedSearch) -> None:
    if not access.can_edit_saved_search(actor, saved):
        raise PermissionDenied
    audit.record_delete(actor, saved)
    saved.delete()


# ---------------------------------------------------------------------------
# The worker's schedule (registered in apps.py)
# ---------------------------------------------------------------------------
DIGEST_JOB_KIND = "alerts.digests"


def schedule_digests():
    """Periodic work of every worker: enqueue the digest pass as a tracked job (at most one
    per STI_ALERTS_CHECK_SECONDS, none while one is queued or running)."""
    return tracked_jobs.enqueue_periodic(
        DIGEST_JOB_KIND,
        _("Gửi thư thông báo tin mới"),
        tasks.send_due_digests,
        every_seconds=settings.STI_ALERTS_CHECK_SECONDS,
    )


# ---------------------------------------------------------------------------
# Unsubscribing from a link in the mail (no login)
# ---------------------------------------------------------------------------
@transaction.atomic
def unsubscribe(token: str) -> SavedSearch:
    """Stop the e-mails of the saved search a signed link names (the search and its feed
    stay). Idempotent: a second click changes nothing."""
    saved = saved_search_from_token(token)
    saved = SavedSearch.objects.select_for_update().get(pk=saved.pk)
    if saved.frequency != DigestFrequency.NONE:
        old = saved.frequency
        saved.frequency = DigestFrequency.NONE
        saved.save(update_fields=["frequency", "updated_at"])
        audit.record(
            saved.user,
            AuditAction.UPDATE,
            saved,
            {"frequency": [old, DigestFrequency.NONE]},
            note=_("Hủy nhận thư qua liên kết trong thư"),
        )
    return saved


# ---------------------------------------------------------------------------
# The private feed token
# ---------------------------------------------------------------------------
def feed_token_for(user) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def renew_feed_token(actor) -> FeedToken:
    """Replace the user's feed secret: every feed address given before stops working."""
    if not access.can_save_search(actor):
        raise PermissionDenied
    token, created = FeedToken.objects.select_for_update().get_or_create(user=actor)
    if not created:
        token.token = new_feed_token()
        token.save(update_fields=["token", "created_at"])
    audit.record(actor, AuditAction.UPDATE, token, note=_("Đổi mã nguồn tin riêng"))
    return token


def feed_user(token: str):
    """The user whose feed secret this is, or None."""
    found = FeedToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    return found.user


__all__ = [
    "DigestOutcome",
    "clean_filters",
    "delete_saved_search",
    "feed_token_for",
    "feed_user",
    "follow",
    "renew_feed_token",
    "run_due_digests",
    "schedule_digests",
    "save_search",
    "saved_search_from_token",
    "send_digest",
    "unsubscribe",
    "unsubscribe_token",
    "update_saved_search",
]
