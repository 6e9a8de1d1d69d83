"""The demo exchange loads (idempotent) with deals at each step, and the expiry job has
its expired candidate to work on."""

from sti.market.choices import DemandStatus, InterestStatus, OfferStatus
from sti.market.models import Demand, ExpressionOfInterest, MarketEvent, Offer, TransferContract


def test_the_demo_loads_once_with_deals_at_each_step(db):
    from sti.accounts.sample import load_sample as load_accounts
    from sti.directory.sample import load_sample as load_directory
    from sti.market.sample import load_sample

    lines = []
    load_directory(lines.append)
    load_accounts(lines.append)
    load_sample(lines.append)
    load_sample(lines.append)  # idempotent
    assert Offer.objects.count() == 12
    assert Offer.objects.filter(state=OfferStatus.PUBLISHED).count() >= 9
    states = set(Demand.objects.values_list("state", flat=True))
    assert {DemandStatus.RECEIVED, DemandStatus.CONNECTED, DemandStatus.CLOSED} <= states
    assert ExpressionOfInterest.objects.filter(status=InterestStatus.ACCEPTED).exists()
    assert TransferContract.objects.count() == 2
    assert MarketEvent.objects.get().exhibitors.count() == 4
    # Offers are owned by the directory's universities and institutes.
    assert Offer.objects.filter(owner_organization__isnull=True).count() == 0
