"""Brokerage: expressions of interest (send, answer, who may), proposals and contacts by
brokers, and the transfer contract feeding the home figures, the statistics and the funnel."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sti.market import services
from sti.market.choices import ActivityKind, InterestStatus, OfferStatus, TransferKind
from sti.market.models import ExpressionOfInterest


def test_the_interest_flow(offer, registered, reporter_a, member_a, client_for, run_on_commit):
    client = client_for(registered)
    with run_on_commit():
        response = client.post(
            f"/cho-cong-nghe/cong-nghe/{offer.pk}/quan-tam/",
            {"message": "HTX Mỹ Xuyên muốn áp dụng cho 20 ha xoài."},
        )
    assert response.status_code == 302
    interest = ExpressionOfInterest.objects.get(offer=offer, party=registered)
    assert interest.status == InterestStatus.PENDING
    # The owner's contact is told, without the confidential part.
    assert mail.outbox and mail.outbox[-1].to == [offer.contact_email]
    assert offer.detail not in mail.outbox[-1].body
    # A second pending interest by the same party is refused with a message.
    with pytest.raises(ValidationError):
        services.express_interest(registered, offer, "Nhắc lại.")
    # The party cannot answer its own interest; a plain member of the owner cannot either.
    for user in (registered, member_a):
        with pytest.raises(PermissionDenied):
            services.answer_interest(user, interest, accept=True)
    # The owner's reporter sees it on the offer page and accepts it there.
    page = client_for(reporter_a).get(offer.get_absolute_url()).content.decode()
    assert "HTX Mỹ Xuyên muốn áp dụng" in page
    with run_on_commit():
        client_for(reporter_a).post(
            f"/cho-cong-nghe/quan-tam/{interest.pk}/tra-loi/", {"answer": "accept"}
        )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED and interest.decided_at
    with pytest.raises(ValidationError):  # answered once
        services.answer_interest(reporter_a, interest, accept=False)


def test_who_may_express_interest(make_offer, reporter_a, member_a, registered, editor):
    offer = make_offer()
    for owner_side in (reporter_a, member_a):
        with pytest.raises(PermissionDenied):
            services.express_interest(owner_side, offer, "Của mình.")
    # A broker already sees the confidential part and brokers the deal: not a party.
    with pytest.raises(PermissionDenied):
        services.express_interest(editor, offer, "Môi giới.")
    hidden = make_offer(state=OfferStatus.HIDDEN)
    with pytest.raises(PermissionDenied):
        services.express_interest(registered, hidden, "Quan tâm.")
    with pytest.raises(ValidationError):
        services.express_interest(registered, offer, "   ")


@pytest.mark.parametrize(
    "persona, shown",
    [("registered", True), ("reporter_b", True), ("editor", False), ("member_a", False)],
)
def test_the_interest_box_only_for_who_may_send_it(request, persona, shown, offer, client_for):
    page = client_for(request.getfixturevalue(persona)).get(offer.get_absolute_url())
    html = page.content.decode()
    assert (f"/cong-nghe/{offer.pk}/quan-tam/" in html) is shown
    assert ("Tôi quan tâm công nghệ này" in html) is shown


def test_brokers_shortlist_and_record_meetings(offer, make_demand, editor, reporter_b, client_for):
    demand = make_demand()
    with pytest.raises(PermissionDenied):
        services.propose_offer(reporter_b, demand, offer)
    client = client_for(editor)
    client.post(
        f"/cho-cong-nghe/nhu-cau/{demand.pk}/de-xuat/", {"offer": offer.pk, "note": "Đúng bệnh"}
    )
    client.post(
        f"/cho-cong-nghe/nhu-cau/{demand.pk}/hoat-dong/",
        {"kind": ActivityKind.MEETING, "happened_on": "2026-03-02", "summary": "Gặp B2B"},
    )
    assert demand.proposals.get().offer == offer
    assert demand.activities.get().kind == ActivityKind.MEETING
    # The requester sees the proposal, not the broker's log; an outsider sees neither.
    page = client_for(reporter_b).get(demand.get_absolute_url()).content.decode()
    assert offer.title in page and "Gặp B2B" not in page
    assert client_for(editor).get(demand.get_absolute_url()).status_code == 200
    refused = client_for(reporter_b).post(
        f"/cho-cong-nghe/nhu-cau/{demand.pk}/hoat-dong/",
        {"kind": "note", "happened_on": "2026-03-02", "summary": "x"},
    )
    assert refused.status_code in (302, 403) and demand.activities.count() == 1


def test_a_contract_feeds_the_home_figures_statistics_and_funnel(
    offer, make_demand, editor, reporter_a, org_a, org_b, client_for
):
    from sti.market import figures
    from sti.portal.figures import key_figures
    from sti.stats.prefill import providers

    demand = make_demand()
    before = key_figures(None)["market_contracts"]
    with pytest.raises(PermissionDenied):
        services.record_contract(reporter_a, {"title": "x"})
    response = client_for(editor).post(
        f"/cho-cong-nghe/nhu-cau/{demand.pk}/hop-dong/",
        {
            "title": "Chuyển giao quy trình bảo quản xoài",
            "transferor_organization": org_a.pk,
            "transferee_organization": org_b.pk,
            "kind": TransferKind.INDEPENDENT,
            "methods": ["documents", "training"],
            "value_vnd": "150000000",
            "signed_on": "2025-05-20",
            "offer": offer.pk,
        },
    )
    assert response.status_code == 302
    contract = demand.contracts.get()
    assert contract.offer == offer and contract.value_vnd == 150_000_000
    assert key_figures(None)["market_contracts"] == before + 1

    class Period:
        year = 2025

    assert figures.contracts_provider(org_a, Period) == {"": 1, "cgkind.DL": 1}
    assert figures.value_provider(org_b, Period) == {"": 150, "cgkind.DL": 150}
    Period.year = 2024
    assert figures.contracts_provider(org_a, Period) == {"": 0}
    assert figures.contracts_provider in providers()[figures.CONTRACTS]
    steps = {step["step"]: step for step in services.funnel()}
    assert steps["demands"]["count"] == 1
    assert steps["contracts"]["count"] == 1 and steps["contracts"]["value_vnd"] == 150_000_000
    page = client_for(editor).get("/cho-cong-nghe/moi-gioi/pheu/")
    assert page.status_code == 200 and b"funnelChart" in page.content
    assert client_for(reporter_a).get("/cho-cong-nghe/moi-gioi/pheu/").status_code == 403


def test_a_contract_needs_both_parties(editor):
    with pytest.raises(ValidationError):
        services.record_contract(
            editor,
            {
                "title": "Thiếu bên nhận",
                "transferor_name": "Viện Lúa",
                "value_vnd": 1,
                "signed_on": date(2025, 1, 1),
            },
        )


def test_a_proposed_offer_withdrawn_from_the_catalogue_leaves_the_requesters_page(
    offer, make_demand, editor, reporter_b, reporter_a, client_for
):
    """The requester sees a proposal only while they may open its offer: once its owner
    hides it, neither its title nor a dead link stays on the demand page."""
    demand = make_demand()
    services.propose_offer(editor, demand, offer, "Đúng bệnh")
    assert offer.title in client_for(reporter_b).get(demand.get_absolute_url()).content.decode()
    services.move_offer(reporter_a, offer, "hidden")
    page = client_for(reporter_b).get(demand.get_absolute_url()).content.decode()
    assert offer.title not in page and offer.get_absolute_url() not in page
    assert offer.title in client_for(editor).get(demand.get_absolute_url()).content.decode()


def test_the_brokers_log_form_has_a_label_for_each_control(make_demand, editor, client_for):
    """Screen readers name the three unlabelled boxes of the brokerage log form."""
    demand = make_demand()
    page = client_for(editor).get(demand.get_absolute_url()).content.decode()
    for name, label in (("kind", "Loại"), ("happened_on", "Ngày"), ("summary", "Nội dung")):
        assert f'<label class="visually-hidden" for="id_{name}">{label}</label>' in page


def test_contracts_signed_in_a_year_prefill_form_06_of_that_year(editor, org_a, org_b):
    from sti.market import figures

    """Form 06/KHCN-CG of the TT 15/2018 regime data: each party's form of year Y counts the
    contracts signed in Y (total and by form of transfer), value in million đồng; the same
    organization's form of another year and a third organization's form stay empty."""
    from sti.directory.models import Organization
    from sti.stats import services as stats
    from sti.stats.models import Submission
    from sti.stats.regimes import load_file
    from sti.stats.sample import TT15

    for title, kind, value, signed_on in [
        (
            "Chuyển giao quy trình bảo quản xoài",
            TransferKind.INDEPENDENT,
            150_000_000,
            "2025-05-20",
        ),
        ("Góp vốn bằng máy sấy lúa", TransferKind.CAPITAL, 1_240_500_000, "2025-12-31"),
        ("Hợp đồng năm trước", TransferKind.INDEPENDENT, 90_000_000, "2024-12-31"),
    ]:
        services.record_contract(
            editor,
            {
                "title": title,
                "transferor_organization": org_a,
                "transferee_organization": org_b,
                "kind": kind,
                "value_vnd": value,
                "signed_on": date.fromisoformat(signed_on),
            },
        )
    regime, _notes = load_file(TT15)
    form = regime.forms.get(number="06")
    assert form.code == "06/KHCN-CG"
    # Every form of transfer of Law 07/2017 has its column.
    columns = {
        f"cgkind.{code}"
        for code in regime.breakdowns.get(code="cgkind").options.values_list("code", flat=True)
    }
    assert set(figures.KIND_OPTIONS) == set(TransferKind)
    assert set(figures.KIND_OPTIONS.values()) == columns
    other = Organization.objects.create(name="Viện Lúa Đồng bằng sông Cửu Long")
    period = stats.open_period(editor, 2025, regime)
    stats.assign_forms(editor, period, [org_a, org_b, other], [form])
    expected = {
        "06.01": "2",
        "06.01|cgkind.DL": "1",
        "06.01|cgkind.GV": "1",
        "06.02": "1391",  # 150 + 1,240.5 million đồng, half up
        "06.02|cgkind.DL": "150",
        "06.02|cgkind.GV": "1241",
    }
    for organization in (org_a, org_b):
        submission = Submission.objects.get(period=period, organization=organization)
        assert submission.values == expected
        assert "06.01" in submission.prefilled
    assert Submission.objects.get(period=period, organization=other).values == {}
    earlier = stats.open_period(editor, 2024, regime)
    stats.assign_forms(editor, earlier, [org_a], [form])
    assert Submission.objects.get(period=earlier, organization=org_a).values == {
        "06.01": "1",
        "06.01|cgkind.DL": "1",
        "06.02": "90",
        "06.02|cgkind.DL": "90",
    }
