"""The periodic work `register()` declares: enqueue the e-mails about new matches."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.core import jobs
from sti.core.models import TrackedJob
from sti.market.matching.jobs import KIND, NOTICE_PERIOD_SECONDS
from sti.market.matching.tasks import notify_new_matches


def enqueue_notices() -> TrackedJob | None:
    """Enqueue the notices job unless one is pending or ran within the period."""
    return jobs.enqueue_periodic(
        KIND,
        _("Thông báo kết nối cung – cầu mới"),
        notify_new_matches,
        every_seconds=NOTICE_PERIOD_SECONDS,
    )
