"""What the exchange's contracts give the statistics: form 06/KHCN-CG (technology
transfer) of TT 15/2018 counts the contracts signed in the year and their value.

The providers are registered per indicator code (`sti.stats.prefill`): "06.01" the number
of contracts, "06.02" their value in million đồng. They pre-fill the cells of a regime
whose form 06 declares these codes; a regime without that form ignores them.
"""

from __future__ import annotations

import datetime as dt

CONTRACTS = "06.01"
VALUE_MILLION_VND = "06.02"


def _year_totals(organization, period) -> dict:
    from sti.market.services import contract_totals

    return contract_totals(
        start=dt.date(period.year, 1, 1),
        end=dt.date(period.year, 12, 31),
        organization_ids=[organization.pk],
    )


def contracts_provider(organization, period) -> dict[str, int]:
    return {"": _year_totals(organization, period)["count"]}


def value_provider(organization, period) -> dict[str, int]:
    return {"": round(_year_totals(organization, period)["value_vnd"] / 1_000_000)}


def register_statistics() -> None:
    from sti.stats.prefill import register_prefill

    register_prefill(CONTRACTS, contracts_provider)
    register_prefill(VALUE_MILLION_VND, value_provider)
