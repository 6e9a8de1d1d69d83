"""Column list of the catalogue's export (CSV / Excel / JSON by `sti.core.exports`): the
PUBLIC part of the offers the caller may see, never the detail, owners or contact."""

from __future__ import annotations

COLUMNS = [
    ("code", "Mã"),
    ("title", "Tên công nghệ"),
    ("summary", "Tóm tắt"),
    ("field", "Lĩnh vực KH&CN"),
    ("trl", "TRL"),
    ("price_type", "Hình thức giá"),
    ("price_vnd", "Giá (đồng)"),
    ("transfer_methods", "Phương thức chuyển giao"),
    ("province", "Địa bàn"),
    ("state", "Trạng thái"),
    ("expires_on", "Hết hạn chào bán"),
]


def rows(offers):
    """One dict per offer (the queryset selects the field)."""
    for offer in offers.iterator(chunk_size=2000):
        yield {
            "code": f"CB-{offer.pk}",
            "title": offer.title,
            "summary": offer.summary,
            "field": offer.field.display if offer.field_id else "",
            "trl": offer.trl,
            "price_type": offer.get_price_type_display(),
            "price_vnd": offer.price_vnd,
            "transfer_methods": ", ".join(offer.transfer_method_labels()),
            "province": offer.get_province_display(),
            "state": offer.get_state_display(),
            "expires_on": offer.expires_on,
        }
