"""The printable exhibitor catalogue of a fair, on the shared publishing builders: one
section per accepted exhibitor (by booth), one entry per published offer it shows, with only
the offers' public part (an exhibitor catalogue is handed to every visitor). The worker
builds the PDF (`jobs.build_catalogue`), never a request."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sti.market.choices import OfferStatus
from sti.market.models import MarketEvent, Offer
from sti.publishing import Catalogue, Entry, Section


def _vnd(value) -> str:
    return f"{value:,}".replace(",", ".") + " đ" if value else ""


def offer_entry(offer: Offer, exhibitor_name: str) -> Entry:
    lines = [
        (_("Lĩnh vực"), offer.field.display if offer.field_id else ""),
        (_("Mức sẵn sàng"), f"TRL {offer.trl}" if offer.trl else ""),
        (
            _("Giá"),
            " ".join(p for p in (offer.get_price_type_display(), _vnd(offer.price_vnd)) if p),
        ),
        (_("Phương thức chuyển giao"), ", ".join(offer.transfer_method_labels())),
        (_("Địa bàn"), offer.get_province_display()),
    ]
    return Entry(
        title=offer.title,
        code=f"CB-{offer.pk}",
        lines=[(label, value) for label, value in lines if value],
        paragraphs=[offer.summary],
        footer=offer.test_results[:500],
        index_terms=[exhibitor_name],
    )


def event_catalogue(event: MarketEvent) -> Catalogue:
    published = Offer.objects.filter(state=OfferStatus.PUBLISHED).select_related("field")
    exhibitors = event.exhibitors.accepted().prefetch_related(
        Prefetch("offers", queryset=published, to_attr="shown")
    )
    sections = [
        Section(
            code=exhibitor.booth,
            name=exhibitor.name,
            entries=[offer_entry(offer, exhibitor.name) for offer in exhibitor.shown],
        )
        for exhibitor in exhibitors
    ]
    return Catalogue(
        title=str(event.title),
        subtitle=_("Danh mục đơn vị trưng bày và công nghệ"),
        publisher=event.venue,
        intro=event.description,
        sections=sections,
        issued=event.starts_on,
        index_title=_("CHỈ MỤC ĐƠN VỊ TRƯNG BÀY"),
        entry_word=_("công nghệ"),
    )
