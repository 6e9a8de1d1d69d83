"""The catalogue (facets from the search core), the plain-language demand form, "my
postings" and the brokers' desk."""

from sti.market.choices import DemandStatus, OfferStatus
from sti.market.models import Demand


def test_the_catalogue_has_its_facets(make_offer, run_on_commit, client_for, make_demand):
    with run_on_commit():
        make_offer(title="Máy sấy bơm nhiệt", price_type="fixed", price_vnd=480_000_000, trl=7)
        make_offer(title="Chế phẩm Bacillus xử lý ao tôm", province="94", trl=8)
        make_offer(title="Vaccine cá tra chưa duyệt", state=OfferStatus.UNDER_REVIEW)
        make_demand(title="Ao tôm nước đục", state=DemandStatus.SEARCHING)
        make_demand(title="Nhu cầu mới nhận", state=DemandStatus.RECEIVED)
    client = client_for(None)
    page = client.get("/cho-cong-nghe/").content.decode()
    for facet in ("trl", "price_type", "method", "province"):
        assert f'data-facet="{facet}"' in page
    assert "Máy sấy bơm nhiệt" in page and "Vaccine cá tra" not in page
    narrowed = client.get("/cho-cong-nghe/", {"province": "94"}).content.decode()
    assert "Bacillus" in narrowed and "Máy sấy bơm nhiệt" not in narrowed
    found = client.get("/cho-cong-nghe/", {"q": "may say"}).content.decode()
    assert 'data-total="1"' in found
    demands = client.get("/cho-cong-nghe/nhu-cau/").content.decode()
    assert "Ao tôm nước đục" in demands and "Nhu cầu mới nhận" not in demands
    api = client.get("/api/market/offers", {"trl": "8"}).json()
    assert [item["title"] for item in api["items"]] == ["Chế phẩm Bacillus xử lý ao tôm"]
    everything = client.get("/api/market/offers").json()
    assert {facet["value"] for facet in everything["facets"]["price_type"]} == {
        "fixed",
        "negotiable",
    }


def test_the_catalogue_lists_only_what_is_on_offer_for_editors_and_owners_too(
    make_offer, make_demand, run_on_commit, client_for, editor, reporter_a, token_for
):
    """Drafts, offers in review, expired or transferred ones, and demands not yet clarified
    are not in the catalogue, not even for a broker or the owner (they would read as on
    offer): those are followed on "my postings" and the broker's desk."""
    with run_on_commit():
        make_offer(title="Máy sấy bơm nhiệt đang chào")
        make_offer(title="Máy sấy bản nháp", state=OfferStatus.DRAFT)
        make_offer(title="Máy sấy đã hết hạn", state=OfferStatus.EXPIRED)
        make_offer(title="Máy sấy đã chuyển giao", state=OfferStatus.TRANSFERRED)
        make_demand(title="Cần máy sấy trái cây", state=DemandStatus.SEARCHING)
        make_demand(title="Cần máy sấy mới nhận", state=DemandStatus.RECEIVED)
        make_demand(title="Cần máy sấy đã đóng", state=DemandStatus.CLOSED)
    for user in (editor, reporter_a):
        client = client_for(user)
        offers = client.get("/cho-cong-nghe/").content.decode()
        assert "Máy sấy bơm nhiệt đang chào" in offers
        for title in ("bản nháp", "đã hết hạn", "đã chuyển giao"):
            assert f"Máy sấy {title}" not in offers
        demands = client.get("/cho-cong-nghe/nhu-cau/").content.decode()
        assert "Cần máy sấy trái cây" in demands
        assert "mới nhận" not in demands and "đã đóng" not in demands
    token = token_for(editor)
    api = client_for(None).get("/api/market/offers", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [item["title"] for item in api.json()["items"]] == ["Máy sấy bơm nhiệt đang chào"]


def test_a_farmer_posts_a_demand_in_plain_words(client_for, registered, run_on_commit):
    client = client_for(registered)
    form = client.get("/cho-cong-nghe/nhu-cau/gui/").content.decode()
    assert 'name="viewport"' in form and 'inputmode="tel"' in form
    with run_on_commit():
        response = client.post(
            "/cho-cong-nghe/nhu-cau/gui/",
            {
                "title": "Lúa bị cháy lá do nước mặn",
                "description": "Mùa khô nước mặn vô ruộng, lúa vàng rồi cháy đầu lá.",
                "province": "84",
                "contact_phone": "0909 123 456",
                "cooperation_form": "consulting",
            },
        )
    demand = Demand.objects.get()
    assert response.status_code == 302
    assert demand.state == DemandStatus.RECEIVED and demand.created_by == registered
    assert demand.requester_name == str(registered)
    mine = client.get("/cho-cong-nghe/cua-toi/").content.decode()
    assert "Lúa bị cháy lá do nước mặn" in mine and "Đã tiếp nhận" in mine
    # Not in the public catalogue until a broker clarifies it.
    assert client_for(None).get(demand.get_absolute_url()).status_code == 404


def test_bad_demand_input_is_a_form_error(client_for, registered):
    response = client_for(registered).post(
        "/cho-cong-nghe/nhu-cau/gui/",
        {"title": "", "description": "", "budget_min_vnd": "9", "budget_max_vnd": "1"},
    )
    assert response.status_code == 200 and Demand.objects.count() == 0


def test_the_brokers_desk_is_for_editors(client_for, editor, reporter_a, make_demand):
    make_demand(title="Khô cá bị mốc")
    assert "Khô cá bị mốc" in client_for(editor).get("/cho-cong-nghe/moi-gioi/").content.decode()
    assert client_for(reporter_a).get("/cho-cong-nghe/moi-gioi/").status_code == 403
