"""Worker-side work of matching: the e-mails about new matches, and the matrix rebuild.

A match is new when one of its sides is: an offer published, or a demand received, since
the previous run of this job (its TrackedJob is the watermark, so no table of sent notices
is needed and a pair is announced once: when its newer side appears). Each party is told in
its own right: the requester sees only offers it may open, the offer's contact only demands
it may open, and neither e-mail carries an offer's confidential part.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sti.core import jobs
from sti.core.models import TrackedJob

log = logging.getLogger(__name__)

KIND = "market.match_notices"
NOTICE_PERIOD_SECONDS = 30 * 60


def _since(job_id: int):
    previous = (
        TrackedJob.objects.filter(kind=KIND).exclude(pk=job_id).order_by("-created_at").first()
    )
    if previous is not None:
        return previous.created_at
    return timezone.now() - timedelta(seconds=NOTICE_PERIOD_SECONDS)


def _lines(matches) -> str:
    out = []
    for match in matches:
        out.append(f"- {match.title}\n  {settings.SITE_URL}{match.url}")
        out.extend(f"  · {reason}" for reason in match.reasons)
    return "\n".join(out)


def _demand_email(demand) -> str:
    if demand.contact_email:
        return demand.contact_email
    return demand.created_by.email if demand.created_by_id else ""


def notify_new_matches(job_id: int) -> TrackedJob:
    """E-mail the parties of matches that appeared since the previous run."""
    from sti.market.choices import OfferStatus
    from sti.market.matching import match_demand, match_offer
    from sti.market.matching.corpus import _open_demands
    from sti.market.models import Offer

    since = _since(job_id)

    def work(progress, job) -> str:
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            new_offers = Offer.objects.filter(
                state=OfferStatus.PUBLISHED, published_at__gte=since
            ).select_related("created_by", "field")
            new_offer_ids: set[int] = set()
            touched: set[int] = set()
            for offer in new_offers:
                new_offer_ids.add(offer.pk)
                demands = match_offer(offer, user=offer.created_by, limit=5)
                if demands and offer.contact_email:
                    send_mail(
                        _("Nhu cầu công nghệ phù hợp với “%(title)s”") % {"title": offer.title},
                        _("Các nhu cầu sau có thể dùng công nghệ của bạn:")
                        + "\n"
                        + _lines(demands),
                        None,
                        [offer.contact_email],
                    )
                    sent += 1
                touched.update(match.object_id for match in demands)
            touched.update(
                _open_demands().filter(created_at__gte=since).values_list("pk", flat=True)
            )
            for demand in (
                _open_demands().filter(pk__in=touched).select_related("created_by", "field")
            ):
                to = _demand_email(demand)
                if not to:
                    continue
                found = match_demand(demand, user=demand.created_by, kinds=("offer",), limit=5)
                if demand.created_at < since:  # an older demand hears only of new offers
                    found = [m for m in found if m.object_id in new_offer_ids]
                if found:
                    send_mail(
                        _("Công nghệ phù hợp với nhu cầu “%(title)s”") % {"title": demand.title},
                        _("Các công nghệ sau có thể đáp ứng nhu cầu của bạn:")
                        + "\n"
                        + _lines(found),
                        None,
                        [to],
                    )
                    sent += 1
        return _("%(count)d thư đã gửi") % {"count": sent}

    return jobs.run(job_id, work)


def rebuild_matching(job_id: int) -> TrackedJob:
    from sti.market.matching.corpus import corpus

    def work(progress, job) -> str:
        return str(len(corpus().rebuild()))

    return jobs.run(job_id, work)
