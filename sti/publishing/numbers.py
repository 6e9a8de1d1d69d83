"""Numbers the Vietnamese way for publications: 7.455 (thousands), 12,5 (decimals)."""

from __future__ import annotations


def number(value, digits: int = 0) -> str:
    """1682 → "1.682"; 0.67 → "0,7" (one decimal below 100 unless `digits` says); None → "–"."""
    if value is None:
        return "–"
    value = float(value)
    if digits == 0 and value != int(value) and abs(value) < 100:
        digits = 1
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
