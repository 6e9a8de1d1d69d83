"""The IP register's sections on other apps' pages (registered in `IpConfig.ready()`): a
task's filings and an organization's filings, read through `visible_to(user)` in one query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.core.registries import RelatedLink
from sti.ip.models import Filing

LIMIT = 30


def _links(filings) -> list[RelatedLink]:
    return [
        RelatedLink(
            f"{filing.get_kind_display()}: {filing.title}",
            filing.get_absolute_url(),
            " · ".join(
                part
                for part in (
                    filing.get_status_display(),
                    filing.application_number
                    and _("số đơn %(n)s") % {"n": filing.application_number},
                    filing.grant_number and _("văn bằng %(n)s") % {"n": filing.grant_number},
                )
                if part
            ),
        )
        for filing in filings.order_by("-filed_on", "-pk")[:LIMIT]
    ]


def task_filings(task, user) -> list[RelatedLink]:
    return _links(Filing.objects.visible_to(user).filter(task=task))


def organization_filings(organization, user) -> list[RelatedLink]:
    return _links(Filing.objects.visible_to(user).filter(applicant_organization=organization))
