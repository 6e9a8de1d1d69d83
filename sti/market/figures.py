"""What the exchange's contracts give the statistics: form 06/KHCN-CG (technology
transfer) of TT 15/2018 (`sti/stats/data/tt15_2018.yaml`) counts the contracts an
organization signed in the year, as transferor or transferee, and their value, in total and
by form of transfer (Art. 5 of Law 07/2017, the breakdown "cgkind").

The providers are registered per indicator code (`sti.stats.prefill`): "06.01" the number
of contracts, "06.02" their value in million đồng. They pre-fill the cells of a regime
whose form 06 declares these codes; a regime without that form ignores them.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sti.market.choices import TransferKind

CONTRACTS = "06.01"
VALUE_MILLION_VND = "06.02"
# The options of the regime's breakdown "cgkind" for each form of transfer.
KIND_OPTIONS = {
    TransferKind.INDEPENDENT: "cgkind.DL",
    TransferKind.INVESTMENT_PROJECT: "cgkind.DA",
    TransferKind.CAPITAL: "cgkind.GV",
    TransferKind.FRANCHISE: "cgkind.NQ",
    TransferKind.IP_TRANSFER: "cgkind.SHTT",
    TransferKind.MACHINERY: "cgkind.MM",
}


def _year_totals(organization, period) -> dict:
    from sti.market.services import contract_totals

    return contract_totals(
        start=dt.date(period.year, 1, 1),
        end=dt.date(period.year, 12, 31),
        organization_ids=[organization.pk],
        by_kind=True,
    )


def _cells(totals: dict, measure) -> dict[str, int]:
    """The total and one cell per form of transfer. The total is the sum of the cells, so
    the form's rule "total = sum by form" holds after rounding to million đồng too."""
    cells: dict[str, int] = {}
    for kind, row in totals["by_kind"].items():
        option = KIND_OPTIONS.get(kind)
        if option is None:  # a form of transfer the regime does not list: total only
            return {"": measure(totals)}
        cells[option] = measure(row)
    return {"": sum(cells.values()), **cells}


def _million(row: dict) -> int:
    """VND to million đồng, half up (1,240.5 million is reported as 1,241)."""
    million = Decimal(row["value_vnd"] or 0) / 1_000_000
    return int(million.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def contracts_provider(organization, period) -> dict[str, int]:
    return _cells(_year_totals(organization, period), lambda row: row["count"])


def value_provider(organization, period) -> dict[str, int]:
    return _cells(_year_totals(organization, period), _million)


def register_statistics() -> None:
    from sti.stats.prefill import register_prefill

    register_prefill(CONTRACTS, contracts_provider)
    register_prefill(VALUE_MILLION_VND, value_provider)
