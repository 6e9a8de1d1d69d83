"""Demo data of the technology exchange, and synthetic offers and demands for benchmarks.

Offers come from Cần Thơ's universities and institutes, written as their technology
sheets are (technical and scientific names); demands come from Mekong Delta firms,
cooperatives and farmers, written as they would say them (regional words, what they see).
A few deals stand at each brokerage step: demands received, clarified, searching, with
proposals, connected (an accepted expression of interest, a meeting) and closed with a
transfer contract; one offer is past its expiry date for the worker to expire.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.market.choices import (
    ActivityKind,
    CooperationKind,
    DemandStatus,
    DevelopmentLevel,
    InterestStatus,
    OfferStatus,
    PriceKind,
    Province,
    TransferKind,
    TransferMethod,
)
from sti.market.models import (
    Demand,
    DemandActivity,
    Exhibitor,
    ExpressionOfInterest,
    MarketEvent,
    Offer,
    OfferOwner,
    Proposal,
    TransferContract,
)

CTU = "Trường Đại học Cần Thơ"
CLRRI = "Viện Lúa Đồng bằng sông Cửu Long"
CTUT = "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ"
NCTU = "Trường Đại học Nam Cần Thơ"
TAYDO = "Trường Đại học Tây Đô"
CENTER = "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ"
PHONG_DIEN = "Công ty TNHH Chế biến Nông sản Phong Điền"
HAU_GIANG = "Công ty CP Thủy sản Hậu Giang Xanh"
MY_XUYEN = "HTX Nông nghiệp Mỹ Xuyên"

D, T, E, M = (
    TransferMethod.DOCUMENTS,
    TransferMethod.TRAINING,
    TransferMethod.EXPERT_ASSISTANCE,
    TransferMethod.EQUIPMENT,
)

# (owner, title, field, trl, level, price type, price, methods, province, summary, detail,
#  test results, state)
OFFERS = [
    (
        CTU,
        "Quy trình bảo quản xoài cát Hòa Lộc bằng màng bao chitosan kết hợp nhiệt độ thấp",
        "401",
        7,
        DevelopmentLevel.PILOT,
        PriceKind.NEGOTIABLE,
        None,
        [D, T, E],
        Province.CAN_THO,
        "Màng bao chitosan 1% phối hợp bảo quản 12 °C kéo dài thời gian tồn trữ xoài cát Hòa Lộc "
        "đến 28 ngày, giảm hao hụt khối lượng và bệnh thán thư (Colletotrichum gloeosporioides) "
        "sau thu hoạch, giữ màu vỏ và độ Brix phù hợp xuất khẩu.",
        "Nồng độ chitosan, thời gian nhúng, nhiệt độ và ẩm độ kho; công thức phụ gia; sơ đồ dây "
        "chuyền 2 tấn/ngày.",
        "Thử nghiệm tại HTX xoài Hòa Lộc (Cái Bè) 3 vụ; hao hụt dưới 5% sau 4 tuần.",
        OfferStatus.PUBLISHED,
    ),
    (
        CTU,
        "Chế phẩm vi sinh Bacillus xử lý nước ao nuôi tôm thẻ chân trắng",
        "405",
        8,
        DevelopmentLevel.COMMERCIAL,
        PriceKind.FIXED,
        350_000_000,
        [D, T],
        Province.SOC_TRANG,
        "Chế phẩm chứa Bacillus subtilis và Bacillus licheniformis phân hủy hữu cơ, giảm NH3, NO2 "
        "và H2S trong ao nuôi Litopenaeus vannamei, hạn chế Vibrio gây bệnh hoại tử gan tụy cấp "
        "(AHPND).",
        "Chủng vi khuẩn, môi trường lên men, quy trình sấy phun và liều dùng theo mật độ nuôi.",
        "Áp dụng 40 ha ao nuôi tại Sóc Trăng, Bạc Liêu; tỷ lệ sống tăng 12%.",
        OfferStatus.PUBLISHED,
    ),
    (
        CLRRI,
        "Giống lúa OM5451 chống chịu mặn và rầy nâu",
        "401",
        9,
        DevelopmentLevel.COMMERCIAL,
        PriceKind.APPRAISAL,
        None,
        [D, T, E],
        Province.NATIONWIDE,
        "Giống lúa thơm năng suất 6–7 tấn/ha, chịu mặn 4‰, kháng rầy nâu (Nilaparvata lugens) và "
        "đạo ôn (Pyricularia oryzae) trung bình, thời gian sinh trưởng 90–95 ngày.",
        "Quy trình nhân giống siêu nguyên chủng và nguyên chủng; hồ sơ bảo hộ giống.",
        "Đã trồng trên 100.000 ha tại ĐBSCL.",
        OfferStatus.PUBLISHED,
    ),
    (
        CTUT,
        "Máy sấy bơm nhiệt sấy trái cây và thủy sản ở nhiệt độ thấp",
        "211",
        7,
        DevelopmentLevel.PILOT,
        PriceKind.FIXED,
        480_000_000,
        [M, T, E],
        Province.CAN_THO,
        "Hệ thống sấy bơm nhiệt 200 kg/mẻ, nhiệt độ 40–55 °C, tiết kiệm 40% điện năng so với sấy "
        "điện trở, giữ màu và vitamin C của xoài, khóm, chuối và khô cá lóc.",
        "Bản vẽ chế tạo, thông số máy nén, bộ điều khiển PLC và chương trình sấy theo sản phẩm.",
        "Vận hành tại cơ sở sấy khô cá Thốt Nốt 18 tháng.",
        OfferStatus.PUBLISHED,
    ),
    (
        CTU,
        "Bao bì khí quyển điều chỉnh (MAP) đóng gói rau ăn lá",
        "211",
        6,
        DevelopmentLevel.PILOT,
        PriceKind.NEGOTIABLE,
        None,
        [D, E],
        Province.CAN_THO,
        "Bao bì màng PE đục lỗ vi mô điều chỉnh O2/CO2, kéo dài thời hạn sử dụng rau cải, xà lách "
        "đến 10 ngày ở 5 °C, giảm héo và vàng lá khi vận chuyển đến siêu thị.",
        "Kích thước lỗ, mật độ lỗ theo loại rau; quy trình sơ chế.",
        "Thử nghiệm với HTX rau an toàn Long Tuyền.",
        OfferStatus.PUBLISHED,
    ),
    (
        CLRRI,
        "Quy trình canh tác lúa giảm phát thải 1 phải 5 giảm",
        "401",
        9,
        DevelopmentLevel.COMMERCIAL,
        PriceKind.NEGOTIABLE,
        None,
        [D, T],
        Province.NATIONWIDE,
        "Gói kỹ thuật sử dụng giống xác nhận, giảm lượng giống gieo, phân bón, thuốc bảo vệ thực "
        "vật, nước tưới (tưới ướt khô xen kẽ AWD) và thất thoát sau thu hoạch.",
        "Tài liệu tập huấn chi tiết, lịch thời vụ theo vùng sinh thái.",
        "Áp dụng tại An Giang, Kiên Giang, Cần Thơ.",
        OfferStatus.PUBLISHED,
    ),
    (
        NCTU,
        "Chế phẩm Trichoderma phòng bệnh thối rễ, xì mủ trên cây có múi",
        "406",
        7,
        DevelopmentLevel.PILOT,
        PriceKind.NEGOTIABLE,
        None,
        [D, T],
        Province.HAU_GIANG,
        "Chế phẩm nấm đối kháng Trichoderma asperellum phòng trừ Phytophthora gây thối rễ, xì mủ "
        "trên bưởi, cam sành, quýt đường.",
        "Chủng nấm, môi trường nhân sinh khối trên cám gạo, liều lượng bón.",
        "Mô hình 15 ha cam sành tại Hậu Giang.",
        OfferStatus.PUBLISHED,
    ),
    (
        TAYDO,
        "Công nghệ lên men nước mắm cá linh rút ngắn thời gian chượp",
        "211",
        6,
        DevelopmentLevel.PILOT,
        PriceKind.AUCTION,
        250_000_000,
        [D, T, E],
        Province.AN_GIANG,
        "Bổ sung enzyme protease thực vật rút ngắn thời gian chượp từ 12 tháng xuống 4 tháng, đạt "
        "độ đạm 20 g/l, kiểm soát histamine.",
        "Tỷ lệ muối, enzyme, nhiệt độ thùng chượp.",
        "Sản xuất thử 5 tấn tại Châu Đốc.",
        OfferStatus.PUBLISHED,
    ),
    (
        CTU,
        "Hệ thống quan trắc độ mặn tự động cảnh báo qua điện thoại",
        "202",
        7,
        DevelopmentLevel.PILOT,
        PriceKind.FIXED,
        45_000_000,
        [M, T],
        Province.BEN_TRE,
        "Trạm cảm biến độ mặn, nhiệt độ, pH gửi số liệu mỗi 15 phút, nhắn tin cảnh báo khi độ mặn "
        "vượt ngưỡng lấy nước tưới.",
        "Sơ đồ mạch, phần mềm nhúng, máy chủ nhận dữ liệu.",
        "20 trạm tại Bến Tre, Trà Vinh mùa khô 2024.",
        OfferStatus.PUBLISHED,
    ),
    (
        CTU,
        "Vaccine bất hoạt phòng bệnh gan thận mủ trên cá tra",
        "403",
        5,
        DevelopmentLevel.LAB,
        PriceKind.NEGOTIABLE,
        None,
        [D, E],
        Province.DONG_THAP,
        "Vaccine bất hoạt Edwardsiella ictaluri dạng ngâm cho cá tra (Pangasianodon hypophthalmus) "
        "giống, bảo hộ trên 70% trong thử thách.",
        "Chủng vi khuẩn, quy trình bất hoạt formalin, liều và thời gian ngâm.",
        "Thử nghiệm phòng thí nghiệm và ao thực nghiệm.",
        OfferStatus.UNDER_REVIEW,
    ),
    (
        CTUT,
        "Dây chuyền chế biến bánh tráng tự động",
        "203",
        8,
        DevelopmentLevel.COMMERCIAL,
        PriceKind.FIXED,
        620_000_000,
        [M, T],
        Province.CAN_THO,
        "Dây chuyền tráng, hấp, sấy bánh tráng 300 kg/giờ, giảm 70% nhân công.",
        "Bản vẽ cơ khí, tủ điện.",
        "Lắp đặt tại 2 cơ sở ở Phong Điền.",
        OfferStatus.PUBLISHED,
    ),
    (
        CENTER,
        "Quy trình sản xuất phân hữu cơ vi sinh từ phụ phẩm rơm rạ",
        "406",
        8,
        DevelopmentLevel.COMMERCIAL,
        PriceKind.NEGOTIABLE,
        None,
        [D, T],
        Province.CAN_THO,
        "Ủ rơm rạ với chế phẩm Trichoderma và vi khuẩn phân giải cellulose trong 45 ngày, tạo phân "
        "hữu cơ vi sinh bón cho lúa, rau màu.",
        "Quy trình ủ, đảo trộn, phối trộn.",
        "Mô hình tại Thới Lai, Cờ Đỏ.",
        OfferStatus.EXPIRED,
    ),
]

# (requester, title, description, requirements, field, trl, budget, cooperation, province, state)
DEMANDS = [
    (
        MY_XUYEN,
        "Xoài hái xong để vài bữa là đốm đen, thối đít",
        "Xoài cát của hợp tác xã hái xong chở lên thành phố, để 4–5 bữa là vỏ nổi đốm đen, "
        "thối ở đít trái, bán không được giá. Muốn giữ trái tươi được 3–4 tuần để bán xa.",
        "Làm được ở quy mô hợp tác xã, chi phí thấp.",
        "401",
        6,
        (50_000_000, 200_000_000),
        CooperationKind.LICENSE,
        Province.SOC_TRANG,
        DemandStatus.CONNECTED,
    ),
    (
        HAU_GIANG,
        "Ao tôm nước đục, tôm chết sớm hàng loạt",
        "Mấy ao tôm thẻ nuôi được 30–40 ngày thì nước dơ, có mùi, tôm bỏ ăn, gan teo rồi chết "
        "rải rác. Cần cách làm sạch nước ao mà không xài kháng sinh.",
        "",
        "405",
        7,
        (100_000_000, 400_000_000),
        CooperationKind.PURCHASE,
        Province.HAU_GIANG,
        DemandStatus.CLOSED,
    ),
    (
        PHONG_DIEN,
        "Sấy khô trái cây giữ màu mà đỡ tốn điện",
        "Cơ sở sấy xoài, khóm bằng lò điện, trái sấy xong bị sậm màu, tiền điện cao. Muốn máy "
        "sấy mới giữ màu đẹp, tốn ít điện.",
        "Công suất 150–250 kg/mẻ.",
        "211",
        7,
        (300_000_000, 600_000_000),
        CooperationKind.PURCHASE,
        Province.CAN_THO,
        DemandStatus.PROPOSALS_SENT,
    ),
    (
        None,
        "Ruộng bị nhiễm mặn, lúa cháy lá",
        "Nhà tui ở Trà Vinh, mùa khô nước mặn vô, lúa vàng lá rồi cháy đầu lá, trổ không đều. "
        "Muốn giống lúa chịu mặn với cách biết lúc nào nước mặn để đóng cống.",
        "",
        "401",
        None,
        (None, 20_000_000),
        CooperationKind.CONSULTING,
        Province.TRA_VINH,
        DemandStatus.SEARCHING,
    ),
    (
        None,
        "Rau cải chở lên chợ bị héo úa",
        "Trồng rau cải, xà lách chở lên chợ Cần Thơ, tới nơi rau héo, vàng lá, phải bỏ nhiều. "
        "Cần cách đóng gói cho rau tươi lâu.",
        "",
        "211",
        None,
        None,
        CooperationKind.CONSULTING,
        Province.CAN_THO,
        DemandStatus.CLARIFIED,
    ),
    (
        None,
        "Cam sành bị xì mủ thân, vàng lá, rụng trái",
        "Vườn cam sành 2 công, gốc cây chảy nhựa, lá vàng, rễ thối, trái rụng non. Cần thuốc sinh "
        "học an toàn.",
        "",
        None,
        None,
        (5_000_000, 30_000_000),
        CooperationKind.CONSULTING,
        Province.VINH_LONG,
        DemandStatus.RECEIVED,
    ),
    (
        None,
        "Làm nước mắm cá linh nhanh mà vẫn ngon",
        "Cơ sở nhỏ ở Châu Đốc làm mắm cá linh phải chờ cả năm mới bán, vốn bị đọng. Muốn rút "
        "ngắn thời gian mà mắm vẫn thơm, đạm cao.",
        "",
        "211",
        6,
        (100_000_000, 300_000_000),
        CooperationKind.LICENSE,
        Province.AN_GIANG,
        DemandStatus.RECEIVED,
    ),
]

_FIELDS = {}


def _field(code):
    if code is None:
        return None
    if code not in _FIELDS:
        _FIELDS[code] = FieldOfScience.objects.current().filter(code=code).first()
    return _FIELDS[code]


def load_sample(log: Callable[[str], None] = print) -> None:
    """The demo exchange (idempotent: skipped once its offers are there)."""
    from sti.accounts.models import User

    if Offer.objects.filter(title=OFFERS[0][1]).exists():
        log("Chợ công nghệ: đã có dữ liệu mẫu")
        return
    _FIELDS.clear()
    organizations = dict(Organization.objects.values_list("name", "pk"))
    broker = User.objects.filter(username="bientap").first()
    party = User.objects.filter(username="nguoidung").first()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        offers = []
        for index, row in enumerate(OFFERS):
            (
                owner,
                title,
                field,
                trl,
                level,
                price_type,
                price,
                methods,
                province,
                summary,
                detail,
                tests,
                state,
            ) = row
            expires_on = (
                today - timedelta(days=3)
                if state == OfferStatus.EXPIRED
                else (today + timedelta(days=180 + 10 * index))
            )
            offer = Offer.objects.create(
                title=title,
                summary=summary,
                detail=detail,
                field=_field(field),
                trl=trl,
                development_level=level,
                price_type=price_type,
                price_vnd=price,
                transfer_methods=list(methods),
                province=province,
                test_results=tests,
                owner_organization_id=organizations.get(owner),
                contact_name="Phòng Quản lý Khoa học",
                contact_phone="0292 387 2000",
                contact_email="khcn@example.vn",
                state=state,
                expires_on=expires_on,
                published_at=now - timedelta(days=120 - 7 * index)
                if state in (OfferStatus.PUBLISHED, OfferStatus.EXPIRED)
                else None,
            )
            OfferOwner.objects.create(
                offer=offer,
                organization_id=organizations.get(owner),
                person_name="" if organizations.get(owner) else owner,
                share=100,
            )
            offers.append(offer)
        demands = []
        for row in DEMANDS:
            requester, title, text, requirements, field, trl, budget, form, province, state = row
            low, high = budget or (None, None)
            demands.append(
                Demand.objects.create(
                    title=title,
                    description=text,
                    requirements=requirements,
                    field=_field(field),
                    trl_wanted=trl,
                    budget_min_vnd=low,
                    budget_max_vnd=high,
                    cooperation_form=form,
                    province=province,
                    organization_id=organizations.get(requester),
                    requester_name="" if requester else "Nguyễn Văn Út (nông dân)",
                    contact_phone="0909 000 111",
                    state=state,
                    broker=broker if state != DemandStatus.RECEIVED else None,
                )
            )
        _deals(offers, demands, broker, party, organizations, today)
        _fair(offers, organizations, today)
    log(f"Chợ công nghệ: {len(offers)} công nghệ, {len(demands)} nhu cầu")


def _deals(offers, demands, broker, party, organizations, today) -> None:
    mango, shrimp, dryer = demands[0], demands[1], demands[2]
    pairs = [(mango, offers[0]), (shrimp, offers[1]), (dryer, offers[3]), (demands[3], offers[2])]
    for demand, offer in pairs:
        Proposal.objects.create(
            demand=demand,
            offer=offer,
            created_by=broker,
            note="Cùng vấn đề, công nghệ đã thử nghiệm ở ĐBSCL.",
        )
    for demand, offer, days in ((mango, offers[0], 40), (shrimp, offers[1], 90)):
        DemandActivity.objects.create(
            demand=demand,
            kind=ActivityKind.CONTACT,
            offer=offer,
            happened_on=today - timedelta(days=days + 7),
            summary="Gọi điện hỏi rõ nhu cầu.",
            created_by=broker,
        )
        DemandActivity.objects.create(
            demand=demand,
            kind=ActivityKind.MEETING,
            offer=offer,
            happened_on=today - timedelta(days=days),
            summary="Gặp B2B tại Trung tâm.",
            created_by=broker,
        )
    if party is not None:
        ExpressionOfInterest.objects.create(
            offer=offers[0],
            party=party,
            demand=mango,
            message="HTX muốn áp dụng cho 20 ha xoài.",
            status=InterestStatus.ACCEPTED,
            decided_at=timezone.now(),
        )
        ExpressionOfInterest.objects.create(
            offer=offers[3], party=party, message="Cơ sở sấy muốn xem máy chạy thử."
        )
    TransferContract.objects.create(
        offer=offers[1],
        demand=shrimp,
        title="Chuyển giao chế phẩm vi sinh xử lý nước ao tôm",
        transferor_organization_id=organizations.get(CTU),
        transferee_organization_id=organizations.get(HAU_GIANG),
        transferee_name="" if organizations.get(HAU_GIANG) else HAU_GIANG,
        transferor_name="" if organizations.get(CTU) else CTU,
        kind=TransferKind.INDEPENDENT,
        methods=[D, T],
        value_vnd=350_000_000,
        signed_on=today - timedelta(days=60),
        created_by=broker,
    )
    TransferContract.objects.create(
        offer=offers[2],
        title="Chuyển giao quyền sử dụng giống lúa OM5451",
        transferor_organization_id=organizations.get(CLRRI),
        transferor_name="" if organizations.get(CLRRI) else CLRRI,
        transferee_name="Công ty CP Giống cây trồng Miền Nam – Chi nhánh Sóc Trăng",
        kind=TransferKind.IP_TRANSFER,
        methods=[D, T, E],
        value_vnd=1_200_000_000,
        signed_on=today - timedelta(days=200),
        created_by=broker,
    )


def _fair(offers, organizations, today) -> None:
    event = MarketEvent.objects.create(
        title="Chợ công nghệ và thiết bị TP. Cần Thơ – Techmart ĐBSCL",
        kind="fair",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=32),
        venue="Trung tâm Hội chợ Triển lãm Cần Thơ, 108 Nguyễn Văn Cừ",
        description="Trưng bày, trình diễn công nghệ bảo quản, chế biến, thủy sản và nông "
        "nghiệp; phiên kết nối cung – cầu B2B.",
        capacity=300,
    )
    for booth, name, shown in (
        ("A01", CTU, [0, 1, 4, 8]),
        ("A02", CLRRI, [2, 5]),
        ("B01", CTUT, [3, 10]),
        ("B02", TAYDO, [7]),
    ):
        exhibitor = Exhibitor.objects.create(
            event=event, name=name, booth=booth, organization_id=organizations.get(name)
        )
        exhibitor.offers.set([offers[i] for i in shown])


# ---------------------------------------------------------------------------
# `sti generate`: synthetic offers and demands
# ---------------------------------------------------------------------------
def generate(scale: int, seed: int, progress) -> dict:
    """About scale/20 synthetic published offers and scale/60 demands, for benchmarks."""
    from sti.core.synthetic import SyntheticText

    text = SyntheticText(seed)
    rng = random.Random(seed)
    organization_ids = list(Organization.objects.values_list("pk", flat=True)) or [None]
    fields = list(FieldOfScience.objects.current().filter(level=3).values_list("pk", flat=True))
    offers, demands = max(1, scale // 20), max(1, scale // 60)
    today = date.today()
    advance = progress("Công nghệ chào bán", offers + demands)
    for start in range(0, offers, 2000):
        batch = [
            Offer(
                title=text.title(rng.randint(6, 14)),
                summary=text.abstract(rng.randint(40, 120)),
                field_id=rng.choice(fields) if fields else None,
                trl=rng.randint(3, 9),
                price_type=rng.choice(PriceKind.values),
                transfer_methods=rng.sample(TransferMethod.values, rng.randint(1, 3)),
                province=rng.choice(Province.values),
                owner_organization_id=rng.choice(organization_ids),
                state=OfferStatus.PUBLISHED,
                expires_on=today + timedelta(days=rng.randint(30, 720)),
                published_at=timezone.now() - timedelta(days=rng.randint(0, 900)),
            )
            for _ in range(start, min(offers, start + 2000))
        ]
        with transaction.atomic():
            Offer.objects.bulk_create(batch)
        advance(len(batch))
    batch = [
        Demand(
            title=text.title(rng.randint(5, 10)),
            description=text.abstract(rng.randint(30, 80)),
            field_id=rng.choice(fields) if fields else None,
            province=rng.choice(Province.values),
            organization_id=rng.choice(organization_ids),
            state=rng.choice(DemandStatus.values),
        )
        for _ in range(demands)
    ]
    with transaction.atomic():
        Demand.objects.bulk_create(batch, batch_size=2000)
    advance(len(batch))
    return {"market_offers": offers, "market_demands": demands}
