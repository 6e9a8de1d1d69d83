"""State tables of offers and demands: illegal changes refused (page, API, service) and
legal ones audited; an expired offer leaves the catalogue through the worker job alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sti.core.choices import AuditAction
from sti.core.models import AuditEntry
from sti.core.statemachine import IllegalMove, MoveForbidden
from sti.market import jobs, services
from sti.market.choices import DemandStatus, OfferStatus
from sti.search import services as search
from sti.search.base import SearchQuery


def _transitions(obj) -> list:
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.TRANSITION,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        ).values_list("changes", flat=True)
    )


def test_an_offer_goes_from_draft_to_published_and_each_move_is_audited(
    make_offer, reporter_a, editor
):
    offer = make_offer(state=OfferStatus.DRAFT, expires_on=None, published_at=None)
    services.move_offer(reporter_a, offer, OfferStatus.UNDER_REVIEW)
    later = timezone.localdate() + timedelta(days=200)
    services.move_offer(editor, offer, OfferStatus.PUBLISHED, expires_on=later)
    offer.refresh_from_db()
    assert offer.state == OfferStatus.PUBLISHED
    assert offer.expires_on == later and offer.published_at is not None
    moves = sorted(tuple(change["state"]) for change in _transitions(offer))
    assert moves == [("draft", "under_review"), ("under_review", "published")]


def test_illegal_and_forbidden_moves_change_nothing(make_offer, reporter_a, registered, editor):
    offer = make_offer(state=OfferStatus.DRAFT)
    with pytest.raises(IllegalMove):  # a draft cannot skip review
        services.move_offer(editor, offer, OfferStatus.PUBLISHED)
    services.move_offer(reporter_a, offer, OfferStatus.UNDER_REVIEW)
    with pytest.raises(MoveForbidden):  # only a broker publishes
        services.move_offer(reporter_a, offer, OfferStatus.PUBLISHED)
    with pytest.raises(MoveForbidden):  # an outsider moves nothing
        services.move_offer(registered, offer, OfferStatus.DRAFT)
    with pytest.raises(IllegalMove):  # publishing needs an expiry date ahead
        services.move_offer(editor, offer, OfferStatus.PUBLISHED, expires_on=timezone.localdate())
    offer.refresh_from_db()
    assert offer.state == OfferStatus.UNDER_REVIEW
    assert len(_transitions(offer)) == 1


def test_the_api_answers_409_and_403(make_offer, client, token_for, reporter_a, reporter_b):
    offer = make_offer(state=OfferStatus.DRAFT)
    url = f"/api/market/offers/{offer.pk}/move"

    def post(user, target):
        return client.post(
            url,
            {"target": target},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token_for(user)}",
        )

    assert post(reporter_a, "published").status_code in (403, 409)
    assert post(reporter_a, "transferred").status_code == 409
    assert post(reporter_b, "under_review").status_code == 404  # a draft of another org
    response = post(reporter_a, "under_review")
    assert response.status_code == 200 and response.json()["state"] == "under_review"


def test_an_irreversible_move_from_a_page_needs_its_confirmation(
    make_offer, client_for, reporter_a
):
    offer = make_offer()
    url = f"/cho-cong-nghe/cong-nghe/{offer.pk}/trang-thai/"
    client_for(reporter_a).post(url, {"target": "transferred"})
    offer.refresh_from_db()
    assert offer.state == OfferStatus.PUBLISHED
    client_for(reporter_a).post(url, {"target": "transferred", "confirmed": "1"})
    offer.refresh_from_db()
    assert offer.state == OfferStatus.TRANSFERRED


def test_an_expired_offer_leaves_the_catalogue_through_the_worker_job(
    make_offer, run_on_commit, client_for
):
    with run_on_commit():
        stale = make_offer(title="Máy sấy lúa tầng sôi hết hạn")
        fresh = make_offer(title="Máy sấy lúa tầng sôi còn hạn")
    # Yesterday it was still on offer; the date passes without anyone acting.
    type(stale).objects.filter(pk=stale.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    query = SearchQuery(text="may say lua", filters={"type": ["market_offer"]})
    assert search.search(None, query).total == 2
    with run_on_commit():
        assert jobs.expire_offers() == 1
    stale.refresh_from_db()
    assert stale.state == OfferStatus.EXPIRED
    assert _transitions(stale) == [{"state": ["published", "expired"]}]
    assert AuditEntry.objects.get(object_id=str(stale.pk), action="transition").actor is None
    assert [hit.pk for hit in search.search(None, query).hits] == [str(fresh.pk)]
    page = client_for(None).get("/cho-cong-nghe/", {"q": "may say lua"}).content.decode()
    assert fresh.get_absolute_url() in page and stale.get_absolute_url() not in page
    assert client_for(None).get(stale.get_absolute_url()).status_code == 404
    # Running again finds nothing to do (idempotent), and the job is registered periodic.
    assert jobs.expire_offers() == 0
    from sti.core.registries import periodic_work

    assert "market.expire_offers" in {work.key for work in periodic_work()}


def test_renewal_sends_an_expired_offer_back_for_review(make_offer, reporter_a):
    offer = make_offer(state=OfferStatus.EXPIRED, expires_on=timezone.localdate())
    with pytest.raises(IllegalMove):
        services.move_offer(reporter_a, offer, OfferStatus.UNDER_REVIEW)
    services.move_offer(
        reporter_a,
        offer,
        OfferStatus.UNDER_REVIEW,
        expires_on=timezone.localdate() + timedelta(days=365),
    )
    offer.refresh_from_db()
    assert offer.state == OfferStatus.UNDER_REVIEW


def test_a_broker_takes_a_demand_through_its_steps(make_demand, editor, reporter_b):
    demand = make_demand()
    with pytest.raises(MoveForbidden):  # the requester does not clarify its own demand
        services.move_demand(reporter_b, demand, DemandStatus.CLARIFIED)
    with pytest.raises(IllegalMove):
        services.move_demand(editor, demand, DemandStatus.CONNECTED)
    for step in (
        DemandStatus.CLARIFIED,
        DemandStatus.SEARCHING,
        DemandStatus.PROPOSALS_SENT,
        DemandStatus.CONNECTED,
    ):
        services.move_demand(editor, demand, step)
    demand.refresh_from_db()
    assert demand.state == DemandStatus.CONNECTED and demand.broker == editor
    assert len(_transitions(demand)) == 4
    services.move_demand(reporter_b, demand, DemandStatus.CLOSED)  # the requester may close
    demand.refresh_from_db()
    assert demand.state == DemandStatus.CLOSED
