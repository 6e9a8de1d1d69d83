"""Query pins of the exchange's list and detail pages (flat in the number of rows)."""

from datetime import timedelta

from django.utils import timezone

from sti.core.testing import assert_flat_queries
from sti.market.choices import DemandStatus
from sti.market.models import Exhibitor, MarketEvent


def test_catalogue(client_for, make_offer, run_on_commit):
    def add(n):
        with run_on_commit():
            return [make_offer(title=f"Máy sấy số {i}").get_absolute_url() for i in range(n)]

    assert_flat_queries(client_for(None), "/cho-cong-nghe/", add, at_most=2)


def test_demand_catalogue(client_for, make_demand, run_on_commit):
    def add(n):
        with run_on_commit():
            return [make_demand(state=DemandStatus.CLARIFIED).get_absolute_url() for _ in range(n)]

    assert_flat_queries(client_for(None), "/cho-cong-nghe/nhu-cau/", add, at_most=2)


def test_offer_detail(client_for, reporter_a, make_offer, registered):
    from sti.market import services

    offer = make_offer()

    def add(n):
        return None  # one offer per page; its interests are listed below

    services.express_interest(registered, offer, "Quan tâm.")
    assert_flat_queries(client_for(reporter_a), offer.get_absolute_url(), add, at_most=10)


def test_demand_detail(client_for, editor, make_demand):
    demand = make_demand()

    def add(n):
        return None

    assert_flat_queries(client_for(editor), demand.get_absolute_url(), add, at_most=8)


def test_my_postings(client_for, reporter_a, make_offer):
    def add(n):
        return [make_offer(title=f"Công nghệ {i}").title for i in range(n)]

    assert_flat_queries(client_for(reporter_a), "/cho-cong-nghe/cua-toi/", add, at_most=6)


def test_broker_desk(client_for, editor, make_demand):
    def add(n):
        return [make_demand(title=f"Nhu cầu {i}").title for i in range(n)]

    assert_flat_queries(client_for(editor), "/cho-cong-nghe/moi-gioi/", add, at_most=4)


def test_funnel(client_for, editor):
    assert_flat_queries(
        client_for(editor), "/cho-cong-nghe/moi-gioi/pheu/", lambda n: None, at_most=7
    )


def test_events(client_for, make_offer):
    today = timezone.localdate()

    def add(n):
        return [
            MarketEvent.objects.create(
                title=f"Chợ công nghệ {i}",
                kind="fair",
                starts_on=today,
                ends_on=today,
                venue="Cần Thơ",
                capacity=0,
            ).title
            for i in range(n)
        ]

    assert_flat_queries(client_for(None), "/cho-cong-nghe/su-kien/", add, at_most=2)


def _fair_with_exhibitors(make_offer):
    """A fair and `add(n)` adding n accepted exhibitors with one published offer each."""
    today = timezone.localdate()
    event = MarketEvent.objects.create(
        title="Techmart",
        kind="fair",
        starts_on=today,
        ends_on=today + timedelta(days=1),
        venue="Cần Thơ",
        capacity=100,
    )

    def add(n):
        names = []
        for i in range(n):
            exhibitor = Exhibitor.objects.create(event=event, name=f"Đơn vị {i}")
            exhibitor.offers.set([make_offer(title=f"Công nghệ trưng bày {i}")])
            names.append(exhibitor.name)
        return names

    return event, add


def test_event_detail(client_for, make_offer):
    event, add = _fair_with_exhibitors(make_offer)
    assert_flat_queries(client_for(None), event.get_absolute_url(), add, at_most=5)


def test_event_exhibitors(client_for, make_offer):
    event, add = _fair_with_exhibitors(make_offer)
    url = f"/cho-cong-nghe/su-kien/{event.pk}/don-vi-trung-bay/"
    assert_flat_queries(client_for(None), url, add, at_most=6)
