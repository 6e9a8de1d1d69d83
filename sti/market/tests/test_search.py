"""The site search and the exchange's pages agree: a persona finds exactly the offers and
demands that `visible_to` lets it open (search ⊆ visible_to, and nothing visible missing),
drafts included for their owner's side and the brokers, marked with their state."""

import pytest

from sti.market.choices import DemandStatus, OfferStatus
from sti.market.models import Demand, Offer
from sti.search import services as search
from sti.search.base import SearchQuery

TYPES = ["market_offer", "market_demand"]


@pytest.fixture
def records(make_offer, make_demand, run_on_commit):
    with run_on_commit():
        return {
            "published": make_offer(title="Máy sấy lúa bơm nhiệt đang chào bán"),
            "draft": make_offer(title="Máy sấy lúa bản nháp", state=OfferStatus.DRAFT),
            "review": make_offer(title="Máy sấy lúa chờ duyệt", state=OfferStatus.UNDER_REVIEW),
            "expired": make_offer(title="Máy sấy lúa hết hạn", state=OfferStatus.EXPIRED),
            "open": make_demand(title="Cần máy sấy lúa cho HTX", state=DemandStatus.CLARIFIED),
            "received": make_demand(title="Cần máy sấy lúa gấp"),
        }


def _visible(user) -> set[tuple[str, str]]:
    offers = Offer.objects.visible_to(user).values_list("pk", flat=True)
    demands = Demand.objects.visible_to(user).values_list("pk", flat=True)
    return {("market_offer", str(pk)) for pk in offers} | {
        ("market_demand", str(pk)) for pk in demands
    }


@pytest.mark.parametrize(
    "persona, drafts",
    [
        ("anonymous", False),
        ("registered", False),
        ("member_a", True),  # organization A owns the offers: its members see them
        ("reporter_a", True),
        ("reporter_b", False),  # organization B's demands only
        ("editor", True),
    ],
)
def test_site_search_finds_what_the_pages_open(request, persona, drafts, records, client_for):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    query = SearchQuery(text="máy sấy lúa", filters={"type": TYPES}, limit=50)
    hits = search.search(user, query).hits
    found = {(hit.type, hit.pk) for hit in hits}
    visible = _visible(user)
    assert found <= visible
    assert found == visible  # every record here matches the words: none is missing either
    client = client_for(user)
    for hit in hits:
        assert client.get(hit.url).status_code == 200
    assert (("market_offer", str(records["draft"].pk)) in found) is drafts
    # The site search page shows a draft with its state, never as if it were on offer.
    page = client.get("/tim-kiem/", {"q": "máy sấy lúa bản nháp"}).content.decode()
    assert ("Bản nháp" in page) is drafts
    # The exchange's catalogue lists only what is on offer now, for everyone alike.
    listing = client.get("/api/market/offers", {"q": "may say lua"}).json()
    assert [item["id"] for item in listing["items"]] == [records["published"].pk]
