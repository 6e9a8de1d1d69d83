"""A firm's user edits only its own organization's postings: the organization's reporter
may, a plain member may not, a reporter of another organization may not (page, service,
API); a person's posting is theirs alone (and the editors')."""

import pytest
from django.core.exceptions import PermissionDenied

from sti.core.testing import audit_count
from sti.market import services
from sti.market.choices import DemandStatus, OfferStatus
from sti.market.models import Demand, Offer

EDIT_DATA = {
    "title": "Bảo quản xoài bằng màng chitosan – bản sửa",
    "summary": "Giữ xoài tươi 4 tuần.",
    "price_type": "negotiable",
    "province": "92",
    "transfer_methods": ["documents"],
}


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("reporter_a", True),
        ("editor", True),
        ("member_a", False),
        ("reporter_b", False),
        ("registered", False),
        ("anonymous", False),
    ],
)
def test_offer_edit_page(request, persona, allowed, make_offer, client_for, org_a):
    offer = make_offer()
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    before = audit_count()
    data = {**EDIT_DATA, "owner_organization": org_a.pk}
    response = client_for(user).post(f"/cho-cong-nghe/cong-nghe/{offer.pk}/sua/", data)
    offer.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert offer.title == EDIT_DATA["title"]
        # The edit, and for an owner the move back to review (the public part changed).
        assert audit_count() == before + (1 if persona == "editor" else 2)
    else:
        assert response.status_code in (302, 403) if user is None else response.status_code == 403
        assert offer.title != EDIT_DATA["title"]
        assert audit_count() == before


def test_a_draft_of_another_organization_is_not_even_found(make_offer, client_for, reporter_b):
    draft = make_offer(state=OfferStatus.DRAFT)
    assert (
        client_for(reporter_b).get(f"/cho-cong-nghe/cong-nghe/{draft.pk}/sua/").status_code == 404
    )


def test_services_refuse_other_organizations(make_offer, make_demand, member_a, reporter_b, org_a):
    offer = make_offer()
    for user in (member_a, reporter_b):
        with pytest.raises(PermissionDenied):
            services.update_offer(user, offer, {"title": "Sửa trộm"})
        with pytest.raises(PermissionDenied):
            services.create_offer(user, {**EDIT_DATA, "owner_organization": org_a})
    demand = make_demand(state=DemandStatus.CLARIFIED)  # organization B's
    with pytest.raises(PermissionDenied):
        services.update_demand(member_a, demand, {"title": "Sửa trộm"})
    services.update_demand(reporter_b, demand, {"title": "Xoài đốm đen sau 5 ngày"})
    assert Demand.objects.get(pk=demand.pk).title == "Xoài đốm đen sau 5 ngày"


def test_only_an_editor_switches_an_organizations_offer_to_a_person(
    make_offer, make_demand, reporter_a, reporter_b, editor, client_for, org_a
):
    offer = make_offer(state=OfferStatus.DRAFT)
    before = audit_count()
    with pytest.raises(PermissionDenied):
        services.update_offer(reporter_a, offer, {"owner_organization": None})
    demand = make_demand()  # organization B's
    with pytest.raises(PermissionDenied):
        services.update_demand(reporter_b, demand, {"organization": None})
    # The form says so instead of a 403, and nothing is saved.
    data = {**EDIT_DATA, "owner_organization": ""}
    response = client_for(reporter_a).post(f"/cho-cong-nghe/cong-nghe/{offer.pk}/sua/", data)
    assert response.status_code == 200
    assert "Chỉ cán bộ Trung tâm được đổi người đăng" in response.content.decode()
    assert audit_count() == before
    assert Offer.objects.get(pk=offer.pk).owner_organization == org_a
    # A person's posting does not become an organization's either, but an editor may do both.
    own = services.create_offer(reporter_a, {**EDIT_DATA, "title": "Máy sấy lúa mini"})
    assert own.owner_organization is None
    with pytest.raises(PermissionDenied):
        services.update_offer(reporter_a, own, {"owner_organization": org_a})
    services.update_offer(editor, offer, {"owner_organization": None})
    assert Offer.objects.get(pk=offer.pk).owner_organization is None
    services.update_offer(editor, offer, {"owner_organization": org_a})
    assert Offer.objects.get(pk=offer.pk).owner_organization == org_a


def test_the_form_offers_only_the_users_organizations(client_for, reporter_a, org_a, org_b):
    data = {**EDIT_DATA, "owner_organization": org_b.pk}
    response = client_for(reporter_a).post("/cho-cong-nghe/cong-nghe/dang/", data)
    assert response.status_code == 200  # the form again, with the error
    assert not Offer.objects.filter(title=EDIT_DATA["title"]).exists()
    data["owner_organization"] = org_a.pk
    response = client_for(reporter_a).post("/cho-cong-nghe/cong-nghe/dang/", data)
    offer = Offer.objects.get(title=EDIT_DATA["title"])
    assert response.status_code == 302
    assert offer.state == OfferStatus.DRAFT and offer.owner_organization == org_a


def test_the_api_posts_only_for_the_callers_organizations(
    client, token_for, reporter_a, member_a, org_a
):
    body = {"title": "Máy bóc vỏ dừa", "summary": "Bóc 600 trái/giờ.", "organization": org_a.pk}

    def post(user):
        return client.post(
            "/api/market/offers",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token_for(user)}",
        )

    assert post(member_a).status_code == 403
    response = post(reporter_a)
    assert response.status_code == 201
    assert response.json()["state"] == "draft"
    assert response.json()["confidential"] is not None  # the owner's side sees its own
    assert (
        client.post("/api/market/offers", body, content_type="application/json").status_code == 401
    )
    mine = client.get("/api/market/mine", HTTP_AUTHORIZATION=f"Bearer {token_for(reporter_a)}")
    assert [item["title"] for item in mine.json()["offers"]] == ["Máy bóc vỏ dừa"]


def test_a_persons_posting_is_theirs_alone(registered, expert_user, editor):
    offer = services.create_offer(
        registered, {**EDIT_DATA, "title": "Bẫy đèn bắt rầy nâu năng lượng mặt trời"}
    )
    with pytest.raises(PermissionDenied):
        services.update_offer(expert_user, offer, {"title": "Sửa trộm"})
    services.update_offer(registered, offer, {"title": "Bẫy đèn bắt rầy nâu"})
    services.update_offer(editor, offer, {"title": "Bẫy đèn bắt rầy nâu (đã biên tập)"})
    assert Offer.objects.get(pk=offer.pk).title == "Bẫy đèn bắt rầy nâu (đã biên tập)"


def test_bad_input_gives_a_clear_message(client, token_for, reporter_a, registered):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(reporter_a)}"}
    response = client.post(
        "/api/market/offers",
        {"title": "Máy", "summary": "x" * 10, "price_type": "fixed"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422  # a fixed price needs its amount
    response = client.post(
        "/api/market/demands",
        {
            "title": "Cần máy",
            "description": "Cần máy sấy",
            "budget_min_vnd": 9,
            "budget_max_vnd": 1,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert client.get("/api/market/offers", {"page": "0"}).status_code == 422


def test_an_owners_edit_of_the_public_part_is_reviewed_again(
    make_offer, client_for, reporter_a, editor, org_a, run_on_commit
):
    """A published offer rewritten by its owner leaves the catalogue until a broker
    publishes it again; a change to the confidential part alone, or a broker's edit, keeps
    it listed."""
    offer = make_offer()
    services.update_offer(reporter_a, offer, {"detail": "Quy trình chi tiết mới."})
    offer.refresh_from_db()
    assert offer.state == OfferStatus.PUBLISHED
    services.update_offer(editor, offer, {"title": "Bảo quản xoài bằng chitosan (biên tập)"})
    offer.refresh_from_db()
    assert offer.state == OfferStatus.PUBLISHED
    page = client_for(reporter_a).get(f"/cho-cong-nghe/cong-nghe/{offer.pk}/sua/")
    assert 'id="review-again"' in page.content.decode()
    spam = {**EDIT_DATA, "title": "Bán thuốc giảm cân, gọi ngay", "owner_organization": org_a.pk}
    with run_on_commit():
        response = client_for(reporter_a).post(f"/cho-cong-nghe/cong-nghe/{offer.pk}/sua/", spam)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == spam["title"]
    assert offer.state == OfferStatus.UNDER_REVIEW
    assert client_for(None).get(offer.get_absolute_url()).status_code == 404
    listing = client_for(None).get("/api/market/offers", {"q": "thuoc giam can"}).json()
    assert listing["items"] == []


def test_true_or_false_is_not_an_amount(client, token_for, reporter_a, org_a):
    """Found by the API fuzzing: pydantic's lax mode read `false` as 0 đồng."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(reporter_a)}"}
    offer = {"title": "Máy", "summary": "Máy sấy", "organization": org_a.pk, "price_vnd": False}
    demand = {"title": "Cần máy", "description": "Cần máy sấy", "budget_max_vnd": True}
    for path, body in (("/api/market/offers", offer), ("/api/market/demands", demand)):
        response = client.post(path, body, content_type="application/json", **headers)
        assert response.status_code == 422, path
    assert not Offer.objects.filter(title="Máy").exists()
