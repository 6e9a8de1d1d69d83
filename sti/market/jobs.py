"""Worker-side work of the technology exchange: expiring offers (periodic), the e-mails
of expressions of interest, and a fair's printable exhibitor catalogue (a tracked job)."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import jobs
from sti.core.statemachine import TransitionError
from sti.market import catalogue, lifecycle
from sti.market.choices import OfferStatus
from sti.market.models import CatalogueBuild, ExpressionOfInterest, Offer
from sti.publishing import build_pdf


def expire_offers(today: date | None = None) -> int:
    """Periodic: expire the published or hidden offers past their expiry date.

    Each offer moves through the state table as the worker (SYSTEM, audited); the search
    index follows on commit, so the offer leaves the public catalogue without anyone
    acting. Safe to run from several workers: the state machine locks each row and checks
    its state again, and a move someone else made first is skipped.
    """
    today = today or timezone.localdate()
    expired = 0
    for pk in Offer.objects.due_to_expire(today).values_list("pk", flat=True):
        try:
            lifecycle.OFFER.move(None, pk, OfferStatus.EXPIRED, note=_("Quá hạn chào bán."))
        except TransitionError:
            continue
        expired += 1
    return expired


def _site() -> str:
    return settings.SITE_URL


def notify_interest(interest_id: int) -> bool:
    """Tell the owner's contact that someone is interested (no confidential part inside)."""
    interest = (
        ExpressionOfInterest.objects.select_related("offer", "party").filter(pk=interest_id).first()
    )
    if interest is None or not interest.offer.contact_email:
        return False
    body = _(
        "Có bên quan tâm đến công nghệ “%(title)s”. Mở trang công nghệ để chấp nhận hoặc từ "
        "chối: %(url)s"
    ) % {"title": interest.offer.title, "url": _site() + interest.offer.get_absolute_url()}
    send_mail(_("Bày tỏ quan tâm mới"), body, None, [interest.offer.contact_email])
    return True


def notify_answer(interest_id: int) -> bool:
    """Tell the party the owner's answer (the details are on the page, behind login)."""
    interest = (
        ExpressionOfInterest.objects.select_related("offer", "party").filter(pk=interest_id).first()
    )
    if interest is None or not interest.party.email:
        return False
    body = _("Chủ công nghệ “%(title)s” đã trả lời: %(status)s. %(url)s") % {
        "title": interest.offer.title,
        "status": interest.get_status_display(),
        "url": _site() + interest.offer.get_absolute_url(),
    }
    send_mail(_("Trả lời bày tỏ quan tâm"), body, None, [interest.party.email])
    return True


def build_catalogue(build_id: int) -> CatalogueBuild:
    """Build the exhibitor catalogue PDF of a fair (`catalogue.event_catalogue`: accepted
    exhibitors, published offers, public part only); the file and the job's "done" are
    written together."""
    build = CatalogueBuild.objects.select_related("event").get(pk=build_id)

    def work(progress: jobs.Progress, job) -> str:
        started = time.perf_counter()
        content = catalogue.event_catalogue(build.event)
        progress.fraction(0.2)
        with tempfile.TemporaryDirectory() as folder:
            path = build_pdf(content, Path(folder) / "catalogue.pdf")
            progress.fraction(0.95)
            with path.open("rb") as handle:
                build.pdf.save(
                    f"danh-muc-su-kien-{build.event_id}-{build.pk}.pdf", File(handle), save=False
                )
        build.exhibitors = len(content.sections)
        build.offers = sum(len(section.entries) for section in content.sections)
        build.seconds = round(time.perf_counter() - started, 2)
        summary = _("%(x)s đơn vị trưng bày, %(o)s công nghệ") % {
            "x": build.exhibitors,
            "o": build.offers,
        }
        with transaction.atomic():
            build.save(update_fields=["pdf", "exhibitors", "offers", "seconds"])
            jobs.complete(job, summary)
        return summary

    jobs.run(build.job_id, work)
    build.refresh_from_db()
    return build
