"""What other apps print for an offer they link to (news articles' related records and the
items of a periodical issue such as a "bản tin chọn lọc"): registered with the offer as a
linkable model in `MarketConfig.ready()`.

Only the public part of an offer is printed: its summary, field, readiness, price and
transfer methods, never its confidential detail, its owners or its contact (a bulletin is
read by everyone; the owner is known only to the broker until an interest is accepted)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sti.core.registries import LinkSummary
from sti.core.text import clip

SUMMARY_CHARS = 900


def _price(offer) -> str:
    label = str(offer.get_price_type_display())
    if offer.price_vnd:
        amount = f"{offer.price_vnd:,}".replace(",", ".")
        return f"{label}: {amount} đ"
    return label


def describe_offer(offer) -> LinkSummary:
    lines = (
        (_("Lĩnh vực"), offer.field.name if offer.field_id else ""),
        (_("Mức sẵn sàng công nghệ"), f"TRL {offer.trl}" if offer.trl else ""),
        (_("Giá"), _price(offer)),
        (_("Phương thức chuyển giao"), ", ".join(offer.transfer_method_labels())),
    )
    return LinkSummary(
        title=offer.title,
        text=clip(offer.summary, SUMMARY_CHARS),
        lines=tuple((label, value) for label, value in lines if value),
    )
