"""The demand page shows its explained matches (`sti.market.matching`), the offer page the
demands it could serve; neither shows an offer's confidential part."""

from sti.market.choices import DemandStatus
from sti.market.tests.conftest import SECRET_DETAIL


def test_a_demand_page_explains_its_matches(make_offer, make_demand, client_for, registered):
    offer = make_offer(
        title="Quy trình bảo quản xoài cát Hòa Lộc bằng màng chitosan",
        summary="Màng bao chitosan kéo dài thời gian bảo quản xoài, giảm bệnh thán thư sau "
        "thu hoạch, giữ màu vỏ xoài.",
    )
    make_offer(title="Máy sấy bơm nhiệt khô cá lóc", summary="Sấy khô cá lóc ở nhiệt độ thấp.")
    demand = make_demand(
        title="Xoài hái xong vài bữa là đốm đen, muốn bảo quản xoài lâu",
        description="Xoài cát chở đi bán xa bị đốm đen, thối; cần cách bảo quản xoài tươi lâu.",
        state=DemandStatus.SEARCHING,
    )
    page = client_for(registered).get(demand.get_absolute_url()).content.decode()
    section = page.split('id="matches"', 1)[1].split("</section>", 1)[0]
    assert offer.get_absolute_url() in section
    assert "match-reasons" in section and "<li>" in section
    assert SECRET_DETAIL not in page
    offer_page = client_for(None).get(offer.get_absolute_url()).content.decode()
    section = offer_page.split('id="matches"', 1)[1].split("</section>", 1)[0]
    assert demand.get_absolute_url() in section
