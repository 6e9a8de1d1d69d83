"""An offer's confidential detail, its owners and its contact never reach a visitor, a
firm, the API, the search index or an export before the owner accepts that party's
expression of interest, and do after (for that party only)."""

import pytest

from sti.market import services
from sti.market.choices import OfferStatus
from sti.market.tests.conftest import SECRET_DETAIL, SECRET_EMAIL, SECRET_OWNER, SECRET_PHONE
from sti.search import services as search
from sti.search.base import SearchQuery
from sti.search.registry import get_spec

SECRETS = (SECRET_DETAIL, SECRET_PHONE, SECRET_EMAIL, SECRET_OWNER)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _page(client, offer) -> str:
    response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _api(client, offer, token=None) -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.get(f"/api/market/offers/{offer.pk}", **headers)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("persona", ["anonymous", "registered", "reporter_b", "expert_user"])
def test_outsiders_never_see_the_confidential_part(request, persona, offer, client_for):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    page = _page(client, offer)
    assert offer.summary in page
    assert _leaks(page) == []
    body = _api(client, offer)
    assert body["confidential"] is None
    assert _leaks(str(body)) == []
    export = b"".join(client.get("/cho-cong-nghe/cong-nghe/xuat.csv").streaming_content)
    assert offer.title in export.decode("utf-8-sig")
    assert _leaks(export.decode("utf-8-sig")) == []
    listing = client.get("/api/market/offers", {"q": "xoai"}).json()
    assert [item["id"] for item in listing["items"]] == [offer.pk]
    assert _leaks(str(listing)) == []


def test_the_search_index_holds_only_the_public_part(offer, editor):
    document = get_spec("market_offer").document_for(offer)
    indexed = " ".join([document.title, document.body, document.subtitle, str(document.tags)])
    assert _leaks(indexed) == []
    # Not even an editor finds the offer by its secret words: they are not in the index.
    for words in ("90 giây", "0292-777-888", "Đồng Sở Hữu"):
        query = SearchQuery(text=words, filters={"type": ["market_offer"]})
        assert search.search(editor, query).total == 0
    query = SearchQuery(text="xoai chitosan", filters={"type": ["market_offer"]})
    hits = search.search(None, query).hits
    assert [hit.pk for hit in hits] == [str(offer.pk)]
    assert _leaks(hits[0].snippet_html + hits[0].title_html) == []
    assert not any(name == "organization" for name, _value in document.tags)


def test_the_owner_side_and_editors_see_it(offer, client_for, member_a, reporter_a, editor):
    for user in (member_a, reporter_a, editor):
        page = _page(client_for(user), offer)
        assert SECRET_DETAIL in page and SECRET_PHONE in page and SECRET_OWNER in page


def test_accepting_an_interest_reveals_it_to_that_party_only(
    offer, client_for, registered, reporter_a, reporter_b, token_for
):
    interest = services.express_interest(registered, offer, "HTX muốn áp dụng cho 20 ha.")
    services.express_interest(reporter_b, offer, "Viện muốn hợp tác.")
    # Pending: nothing yet.
    assert _leaks(_page(client_for(registered), offer)) == []
    services.answer_interest(reporter_a, interest, accept=True)
    page = _page(client_for(registered), offer)
    assert SECRET_DETAIL in page and SECRET_PHONE in page and SECRET_OWNER in page
    body = _api(client_for(None), offer, token_for(registered))
    assert body["confidential"]["detail"] == SECRET_DETAIL
    assert body["confidential"]["contact_email"] == SECRET_EMAIL
    assert SECRET_OWNER in [owner["name"] for owner in body["confidential"]["owners"]]
    # The other party, whose interest is still pending, sees nothing more.
    assert _leaks(_page(client_for(reporter_b), offer)) == []
    assert _api(client_for(None), offer, token_for(reporter_b))["confidential"] is None
    # The export stays public for everyone, the accepted party included.
    export = b"".join(
        client_for(registered).get("/cho-cong-nghe/cong-nghe/xuat.csv").streaming_content
    )
    assert _leaks(export.decode("utf-8-sig")) == []


def test_a_declined_interest_reveals_nothing(offer, client_for, registered, reporter_a):
    interest = services.express_interest(registered, offer, "Quan tâm.")
    services.answer_interest(reporter_a, interest, accept=False)
    assert _leaks(_page(client_for(registered), offer)) == []


def test_an_unpublished_offer_is_not_found_by_outsiders(make_offer, client_for, registered):
    draft = make_offer(state=OfferStatus.DRAFT)
    assert client_for(None).get(draft.get_absolute_url()).status_code == 404
    assert client_for(registered).get(f"/api/market/offers/{draft.pk}").status_code == 404


def test_a_demands_requester_is_shown_to_its_side_and_brokers_only(
    make_demand, client_for, reporter_b, registered, editor
):
    from sti.market.choices import DemandStatus

    demand = make_demand(state=DemandStatus.CLARIFIED)
    phone = demand.contact_phone
    assert phone not in client_for(None).get(demand.get_absolute_url()).content.decode()
    assert phone not in client_for(registered).get(demand.get_absolute_url()).content.decode()
    assert phone in client_for(reporter_b).get(demand.get_absolute_url()).content.decode()
    assert phone in client_for(editor).get(demand.get_absolute_url()).content.decode()
    assert client_for(None).get(f"/api/market/demands/{demand.pk}").json()["requester"] is None


def test_a_demands_files_are_served_to_its_side_and_brokers_only(
    make_demand, client_for, reporter_b, registered, editor
):
    """A requester's attachment has a random stored name and no media address on the page:
    it is downloaded through the demand's access check."""
    from django.core.files.base import ContentFile

    from sti.market.choices import DemandStatus
    from sti.market.models import DemandFile

    demand = make_demand(state=DemandStatus.CLARIFIED)
    attached = DemandFile(demand=demand, caption="Ảnh trái xoài bị đốm")
    attached.file.save("hop-dong-mua-ban-HTX.jpg", ContentFile(b"\xff\xd8 secret photo"))
    assert "hop-dong-mua-ban-HTX" not in attached.file.name
    url = f"/cho-cong-nghe/nhu-cau/{demand.pk}/tep/{attached.pk}/"
    page = client_for(reporter_b).get(demand.get_absolute_url()).content.decode()
    assert url in page and attached.file.url not in page
    for user in (reporter_b, editor):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"\xff\xd8 secret photo"
        assert "attachment" in response["Content-Disposition"]
    for user in (None, registered):
        assert client_for(user).get(url).status_code == 404
        assert url not in client_for(user).get(demand.get_absolute_url()).content.decode()
    assert (
        client_for(editor).get(f"/cho-cong-nghe/nhu-cau/{demand.pk}/tep/999999/").status_code == 404
    )
