"""Service requests in the search index, for the people the access rule names: editors and
the signed-in requester (principal "user:<id>"); a request sent without an account is found
by editors only. The body holds what the requester wrote and the answer, never internal
notes or contact details."""

from django.utils.translation import gettext_lazy as _

from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register
from sti.servicedesk.models import ServiceRequest


def request_document(req: ServiceRequest) -> SearchDocument:
    body = " ".join(part for part in (req.reference, req.description, req.answer) if part)
    return SearchDocument(
        type="service_request",
        pk=str(req.pk),
        title=f"{req.reference} – {req.subject}",
        body=body,
        url=req.get_absolute_url(),
        subtitle=str(req.get_kind_display()),
        date=req.received_at,
        year=req.year,
        tags=[("kind", req.kind), ("status", req.status)],
    )


register(
    IndexSpec(
        type="service_request",
        label=_("Yêu cầu dịch vụ KH&CN"),
        model=ServiceRequest,
        queryset=lambda: ServiceRequest.objects.all(),
        to_document=request_document,
        icon="bi-life-preserver",
    )
)
