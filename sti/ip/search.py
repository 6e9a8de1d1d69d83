"""What the IP register puts in the platform search."""

from django.utils.translation import gettext_lazy as _

from sti.directory.models import Organization
from sti.ip.models import Filing
from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register


def filing_document(filing: Filing) -> SearchDocument:
    body = " ".join(
        part
        for part in (
            filing.get_kind_display(),
            filing.application_number,
            filing.grant_number,
            filing.applicant,
            filing.task.title if filing.task_id else "",
        )
        if part
    )
    return SearchDocument(
        type="ip_filing",
        pk=str(filing.pk),
        title=filing.title,
        body=body,
        url=filing.get_absolute_url(),
        subtitle=f"{filing.get_kind_display()} · {filing.get_status_display()}",
        year=filing.filed_on.year if filing.filed_on else None,
        date=filing.granted_on or filing.filed_on,
        tags=[("kind", filing.kind), ("status", filing.status)],
    )


register(
    IndexSpec(
        type="ip_filing",
        label=_("Sở hữu trí tuệ"),
        model=Filing,
        queryset=lambda: Filing.objects.select_related("applicant_organization", "task"),
        to_document=filing_document,
        dependencies={Organization: lambda org: list(org.ip_filings.values_list("pk", flat=True))},
        icon="bi-award",
    )
)
