"""Province-level administrative units before and after the 2025 merger.

An administrative unit (`AdminUnit`) belongs to the province-level unit at the top of its
`parent` chain. Units of the code list before the merger (a version that is not current) are
mapped to the 2025 units through `merged_into` (code-list data, sti/core/data/admin_units.json),
so each unit has up to two provinces: the one before the merger (only for units of the old
list) and the one after it. The statistics aggregates and the analytics dashboard both group
organizations this way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sti.core.codelists import remembered

SCHEME_2025 = "2025"  # provinces after the 2025 merger
SCHEME_BEFORE = "before"  # provinces before it
SCHEMES = (SCHEME_2025, SCHEME_BEFORE)
SCHEME_CHOICES = [
    (SCHEME_2025, _("Sau sáp nhập 2025")),
    (SCHEME_BEFORE, _("Trước sáp nhập 2025")),
]
_MAX_DEPTH = 10  # a guard against a cycle in hand-edited code-list data


@dataclass(frozen=True)
class Provinces:
    """The province codes of one administrative unit ("" where there is none)."""

    before: str
    after: str

    def code(self, scheme: str) -> str:
        return self.after if scheme == SCHEME_2025 else self.before


def unit_provinces() -> dict[int, Provinces]:
    """{AdminUnit id: its provinces before and after the merger} for every unit: one query,
    then remembered like the other code lists (`sti.core.codelists.remembered`)."""
    return remembered(("unit_provinces",), _read_unit_provinces)


def _read_unit_provinces() -> dict[int, Provinces]:
    from sti.core.models import AdminUnit

    units = {
        u["pk"]: u
        for u in AdminUnit.objects.values(
            "pk", "code", "parent_id", "merged_into_id", "version__is_current"
        )
    }

    def top(unit):
        seen = 0
        while unit and unit["parent_id"] and seen < _MAX_DEPTH:  # a province has no parent
            unit, seen = units.get(unit["parent_id"]), seen + 1
        return unit

    def after_merger(unit):
        seen = 0
        while unit and not unit["version__is_current"] and seen < _MAX_DEPTH:
            target = units.get(unit["merged_into_id"]) if unit["merged_into_id"] else None
            unit = target or (units.get(unit["parent_id"]) if unit["parent_id"] else None)
            seen += 1
        return top(unit) if unit and unit["version__is_current"] else None

    out = {}
    for pk, unit in units.items():
        before = top(unit) if not unit["version__is_current"] else None
        after = after_merger(unit)
        out[pk] = Provinces(before["code"] if before else "", after["code"] if after else "")
    return out


def units_in_province(code: str, scheme: str = SCHEME_2025) -> list[int]:
    """The ids of every administrative unit inside province `code` of `scheme`."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}: one of {SCHEMES}")
    return sorted(pk for pk, p in unit_provinces().items() if code and p.code(scheme) == code)


def province_choices(scheme: str = SCHEME_2025) -> list[tuple[str, str]]:
    """(code, name) of the province-level units of `scheme`, by code."""
    from sti.core.models import AdminUnit

    current = scheme == SCHEME_2025
    return remembered(
        ("province_choices", current),
        lambda: list(
            AdminUnit.objects.filter(parent__isnull=True, version__is_current=current)
            .order_by("code")
            .values_list("code", "name")
        ),
    )


def area_choices() -> list:
    """The provinces of each scheme, grouped by scheme, for one select box. Each option names
    its scheme ("before:92"): a code such as 92 exists in both, and the group chosen decides.
    The analytics dashboard and every list page filtering by province (`province_filter`)
    use the same values, so a figure links to its records for the same area."""
    from sti.core.models import AdminUnit

    rows = remembered(  # both schemes in one query: every filtered list page shows them
        ("area_choices",),
        lambda: list(
            AdminUnit.objects.filter(parent__isnull=True)
            .order_by("code")
            .values_list("version__is_current", "code", "name")
        ),
    )
    return [
        (
            label,
            [
                (f"{scheme}:{code}", f"{code} – {name}")
                for current, code, name in rows
                if current == (scheme == SCHEME_2025)
            ],
        )
        for scheme, label in SCHEME_CHOICES
    ]


def area_value(scheme: str, code: str) -> str:
    """A province code of `scheme` as the option of `area_choices` ("2025:92")."""
    return f"{scheme or SCHEME_2025}:{code}" if code and ":" not in code else code


def split_area_value(value: str) -> tuple[str, str]:
    """An option of `area_choices` ("before:92") back into (scheme, code); a plain code is
    a province after the 2025 merger."""
    scheme, sep, code = (value or "").partition(":")
    return (scheme, code) if sep else (SCHEME_2025, scheme)
