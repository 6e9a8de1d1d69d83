"""Worker-side work of the alerts app: the e-mail digests of saved searches.

A digest lists the records that match a saved search and became visible to its owner since
the last digest: the search runs with the owner's own principals
(`sti.search.services.search` applies `principals_for(user)`), over the window of listing
moments the search core keeps (`SearchQuery.created_after/created_until`). The window
reaches `STI_ALERTS_LOOKBACK_HOURS` back past the previous digest, so a record indexed late
(a busy worker) or published after being listed is still caught; the records an earlier
digest already listed (`DigestRun.uids`) are left out, so nothing is sent twice.

Each period (a day, or a week from Monday) is written once: `send_digest` locks the saved
search's row, gives up when the period already has its `DigestRun` (a second worker, a
retry), records the run and sends the mail inside that transaction, so a failed send rolls
the run back and the next pass tries again. The worker's scheduler enqueues
`tasks.send_due_digests` every `STI_ALERTS_CHECK_SECONDS` (registered in `apps.py`); digests
go out from `STI_ALERTS_DIGEST_HOUR` local time; `sti send_digests` runs a pass by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sti.alerts.choices import DigestFrequency
from sti.alerts.links import absolute, unsubscribe_url
from sti.alerts.models import DigestRun, SavedSearch
from sti.core import jobs as tracked
from sti.search import services as search_services
from sti.search.base import SORT_NEWEST, SearchHit, SearchQuery, SearchResults

logger = logging.getLogger(__name__)

FETCH_LIMIT = 200  # the records one digest considers (the engine's page limit)
MAIL_LIMIT = 50  # the records one mail lists; the rest are counted, with a link


def lookback() -> timedelta:
    return timedelta(hours=settings.STI_ALERTS_LOOKBACK_HOURS)


def digest_hour() -> int:
    return settings.STI_ALERTS_DIGEST_HOUR


def period_of(frequency: str, now) -> date:
    """The period a digest sent at `now` belongs to: the local day, or the week's Monday."""
    today = timezone.localtime(now).date()
    if frequency == DigestFrequency.WEEKLY:
        return today - timedelta(days=today.weekday())
    return today


def saved_search_query(saved: SavedSearch, **extra) -> SearchQuery:
    """The saved search as a search-core query (no facets, no highlights)."""
    options = {
        "text": saved.query,
        "filters": {name: list(values) for name, values in saved.filters.items()},
        "facets": (),
        "highlight": False,
        "year_from": saved.year_from,
        "year_to": saved.year_to,
        "sort": SORT_NEWEST,
        "count_limit": None,  # the digest says how many new records there are
    }
    options.update(extra)
    return SearchQuery(**options)


def due(now=None) -> list[int]:
    """The saved searches whose digest for the current period is not written yet."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < digest_hour():
        return []
    ids: list[int] = []
    for frequency in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        ids += (
            SavedSearch.objects.with_digest()
            .filter(frequency=frequency)
            .exclude(digest_runs__period=period_of(frequency, now))
            .values_list("pk", flat=True)
        )
    return sorted(ids)


def search_url(saved: SavedSearch) -> str:
    query = urlencode([*saved.search_params(), ("sort", SORT_NEWEST)])
    return absolute(f"{reverse('search:search')}?{query}")


@dataclass
class DigestOutcome:
    saved_search_id: int
    state: str  # "sent", "empty", "already", "skipped"
    new_count: int = 0
    uids: list[str] = field(default_factory=list)


def new_records(saved: SavedSearch, *, after, until) -> tuple[list[SearchHit], int]:
    """The records matching `saved` that its owner may see, listed in (after, until], less
    those an earlier digest listed; and how many new records there are in all."""
    sent = {
        uid
        for uids in DigestRun.objects.filter(saved_search=saved, window_end__gt=after).values_list(
            "uids", flat=True
        )
        for uid in uids
    }
    query = saved_search_query(saved, created_after=after, created_until=until, limit=FETCH_LIMIT)
    results: SearchResults = search_services.search(saved.user, query)
    fresh = [hit for hit in results.hits if f"{hit.type}:{hit.pk}" not in sent]
    return fresh, len(fresh) + max(0, results.total - len(results.hits))


def send_digest(saved_search_id: int, now=None) -> DigestOutcome:
    """Write (and mail) the digest of the current period for one saved search, once."""
    now = now or timezone.now()
    with transaction.atomic():
        saved = (
            SavedSearch.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=saved_search_id)
            .first()
        )
        if saved is None or not SavedSearch.objects.with_digest().filter(pk=saved.pk).exists():
            return DigestOutcome(saved_search_id, "skipped")
        period = period_of(saved.frequency, now)
        if DigestRun.objects.filter(saved_search=saved, period=period).exists():
            return DigestOutcome(saved.pk, "already")
        start = saved.covered_until or saved.created_at
        after = max(saved.created_at, start - lookback())
        fresh, count = new_records(saved, after=after, until=now)
        uids = [f"{hit.type}:{hit.pk}" for hit in fresh]
        DigestRun.objects.create(
            saved_search=saved,
            period=period,
            window_start=after,
            window_end=now,
            new_count=count,
            uids=uids,
            emailed=bool(fresh),
        )
        saved.covered_until = now
        saved.save(update_fields=["covered_until"])
        if fresh:
            digest_message(saved, fresh, count).send()
    return DigestOutcome(saved.pk, "sent" if fresh else "empty", count, uids)


def digest_message(saved: SavedSearch, hits: list[SearchHit], count: int):
    """The digest mail: plain text and HTML, in Vietnamese, with a one-click unsubscribe."""
    unsubscribe = unsubscribe_url(saved)
    shown = hits[:MAIL_LIMIT]
    context = {
        "saved": saved,
        "user": saved.user,
        "hits": [{"hit": hit, "url": absolute(hit.url)} for hit in shown],
        "count": count,
        "more": max(0, count - len(shown)),
        "search_url": search_url(saved),
        "manage_url": absolute(reverse("alerts:index")),
        "unsubscribe_url": unsubscribe,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(name)s: %(count)s bản ghi mới",
            "%(name)s: %(count)s bản ghi mới",
            count,
        ) % {"name": saved.name, "count": count}
        subject = f"[{settings.SITE_NAME}] {subject}".replace("\n", " ")[:250]
        text = render_to_string("alerts/email/digest.txt", context)
        html = render_to_string("alerts/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[saved.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class DigestPass:
    sent: int = 0
    empty: int = 0
    already: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return _(
            "Đã gửi %(sent)s thư thông báo; %(empty)s tìm kiếm không có gì mới; "
            "%(already)s đã gửi trong kỳ; %(failed)s lỗi."
        ) % vars(self)


def run_due_digests(now=None, progress=None) -> DigestPass:
    """One pass: the digest of every saved search that is due. A failure (a mail server
    down) is logged and counted; that search is tried again at the next pass."""
    now = now or timezone.now()
    ids = due(now)
    outcome = DigestPass()
    for done, pk in enumerate(ids, start=1):
        try:
            state = send_digest(pk, now).state
        except Exception:  # noqa: BLE001 — one search's failure must not stop the others
            logger.exception("digest of saved search %s failed", pk)
            outcome.failed += 1
        else:
            if state in ("sent", "empty", "already"):
                setattr(outcome, state, getattr(outcome, state) + 1)
        if progress is not None:
            progress(done, total=len(ids))
    return outcome


def send_due_digests(job_id: int) -> str:
    """The periodic tracked job (`tasks.send_due_digests`)."""

    def work(progress, job):
        outcome = run_due_digests(progress=progress)
        if outcome.failed and not (outcome.sent or outcome.empty or outcome.already):
            raise RuntimeError(str(outcome))
        return str(outcome)

    return tracked.run(job_id, work).state
