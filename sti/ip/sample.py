"""Demo data of the IP register, and synthetic filings for benchmarks.

`load_sample` builds the register the city's S&T report describes: from January 2016 to
June 2019, 1,690 applications by Cần Thơ applicants (1,627 trademarks, 24 patents,
5 utility solutions, 34 industrial designs).

The report counts 727 grants "of which 727 trademarks, 7 patents, 5 utility solutions and
23 designs"; that breakdown sums to 762, not 727. The register's own rows must add up, so
the demo keeps the report's total and its figures for patents, utility solutions and
designs, and takes the trademarks as the remainder: **692 trademarks + 7 patents + 5
utility solutions + 23 designs = 727 grants**, every one granted by 30 June 2019 (so
counting by filing or by grant date within the period gives the same 727). The report's
inconsistent figures belong in the demo's statistics submission (sti.stats), where the
form's validation flags them.

Applicants that are in the directory's sample (universities, institutes, a few firms) are
linked to it; the other firms, cooperatives and persons are kept as names. A few
applications filed in the last weeks of the period are not published yet, so only their
applicant's members and the editors see them (the access tests need such records).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from sti.directory.models import Organization
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing
from sti.projects.models import Task

PERIOD_START, PERIOD_END = date(2016, 1, 4), date(2019, 6, 28)
SEED = 2019

# kind: (applications, grants, prefix of the application and grant numbers, grant delay in days)
PLAN = {
    IPKind.TRADEMARK: (1627, 692, "4", (270, 600)),
    IPKind.PATENT: (24, 7, "1", (700, 1200)),
    IPKind.UTILITY: (5, 5, "2", (365, 800)),
    IPKind.DESIGN: (34, 23, "3", (180, 540)),
}

DIRECTORY_FIRMS = [
    "Công ty TNHH Chế biến Nông sản Phong Điền",
    "Công ty CP Thủy sản Hậu Giang Xanh",
    "HTX Nông nghiệp Mỹ Xuyên",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ",
]
UNIVERSITIES = [
    "Trường Đại học Cần Thơ",
    "Trường Đại học Y Dược Cần Thơ",
    "Viện Lúa Đồng bằng sông Cửu Long",
    "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ",
    "Trường Đại học Nam Cần Thơ",
    "Trường Đại học Tây Đô",
]

PRODUCTS = [
    "Gạo",
    "Bánh pía",
    "Bánh tráng",
    "Nem nướng",
    "Trà",
    "Cà phê",
    "Nước mắm",
    "Khô cá",
    "Mật ong",
    "Rượu nếp",
    "Chả cá thác lác",
    "Bánh tét",
    "Kẹo dừa",
    "Nước ép trái cây",
    "Mắm cá linh",
    "Xoài cát",
    "Bưởi Năm Roi",
    "Khóm",
    "Sữa bắp",
    "Bún tươi",
    "Hủ tiếu",
    "Bánh mì",
    "Nước uống tinh khiết",
    "Phân bón hữu cơ",
    "Thức ăn thủy sản",
    "Cá tra phi lê",
    "Tôm khô",
    "Lạp xưởng",
    "Bánh cống",
    "Mỹ phẩm thiên nhiên",
    "Nhà hàng",
    "Khách sạn",
    "Du lịch sinh thái",
    "Gạch không nung",
    "Nội thất gỗ",
    "Thời trang",
    "Dược liệu",
    "Chuối sấy",
    "Mứt gừng",
    "Bánh bò",
]
BRANDS = [
    "Cỏ May",
    "Tây Đô",
    "Ninh Kiều",
    "Cái Răng",
    "Phong Điền",
    "Ô Môn",
    "Thốt Nốt",
    "Bình Thủy",
    "Cờ Đỏ",
    "Vĩnh Thạnh",
    "Mekong Xanh",
    "Cửu Long",
    "Sông Hậu",
    "Phù Sa",
    "Miền Tây",
    "Tân Lộc",
    "Chợ Nổi",
    "Cồn Sơn",
    "Mỹ Khánh",
    "Trường Xuân",
    "Thới Lai",
    "Phương Nam",
    "Hương Sen",
    "Sao Mai",
    "Phước Thạnh",
    "Kim Long",
    "Hồng Phát",
    "Thành Đạt",
    "An Bình",
    "Tấn Phát",
    "Minh Châu",
    "Ngọc Anh",
    "Út Hiền",
    "Bà Sáu",
    "Cô Ba Tây Đô",
    "Tư Ký",
    "Gia Phúc",
    "Vinh Hiển",
    "Lộc Phát",
    "Hậu Giang Xanh",
    "Đất Sen",
    "Mười Lăng",
    "Bảy Núi",
    "Ba Láng",
    "Xẻo Nhum",
    "Long Tuyền",
    "Hưng Lợi",
    "Thuận Hưng",
    "Trà Nóc",
    "Đông Thuận",
    "Nhơn Ái",
    "Giai Xuân",
    "Mỹ Phước",
    "Hai Lúa",
    "Tám Bốn",
    "Kim Hoàng",
    "Đức Thành",
    "Phú Quý",
    "Thiên Ân",
    "Green Mekong",
]
SUFFIXES = ["", "", "", " Xanh", " Sạch", " Gold", " Organic", " Food", " Farm", ", hình"]
FIRM_FORMS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân"]
COOPERATIVE_TRADES = ["Nông nghiệp", "Dịch vụ nông nghiệp", "Thủy sản", "Trái cây", "Chăn nuôi"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Kim"]
GIVEN = ["Hùng", "Lan", "Dũng", "Hạnh", "Phúc", "Tâm", "Đức", "Hương", "Tài", "Nhung", "Bảy"]

PATENTS = [
    ("Quy trình sản xuất chế phẩm Trichoderma phân hủy rơm rạ trên ruộng lúa", 0),
    ("Phương pháp chiết xuất pectin từ vỏ bưởi Năm Roi", 0),
    ("Quy trình nhân giống in vitro chuối già Nam Mỹ sạch bệnh", 0),
    ("Chế phẩm vi sinh xử lý bùn đáy ao nuôi cá tra", 0),
    ("Phương pháp sản xuất nước ép nhãn Ido đóng chai thanh trùng", 0),
    ("Quy trình bảo quản xoài cát Hòa Lộc bằng màng chitosan", 0),
    ("Vật liệu hấp phụ từ tro trấu xử lý nước thải chế biến thủy sản", 3),
    ("Phương pháp định lượng kháng sinh trong cá tra phi lê bằng cảm biến điện hóa", 0),
    ("Quy trình sản xuất bao bì phân hủy sinh học từ tinh bột khoai mì", 5),
    ("Hệ thống IoT quan trắc độ mặn nước tưới tự động", 3),
    ("Chủng vi khuẩn Bacillus đối kháng bệnh gan thận mủ trên cá tra", 0),
    ("Phương pháp phát hiện nhanh Helicobacter pylori kháng clarithromycin", 1),
    ("Quy trình tổng hợp nano bạc từ dịch chiết lá trầu không", 1),
    ("Thiết bị sấy thăng hoa trái cây quy mô hộ gia đình", 3),
    ("Phương pháp nhận dạng sâu bệnh hại lúa từ ảnh chụp điện thoại", 3),
    ("Quy trình sản xuất phân hữu cơ vi sinh từ bùn thải nhà máy chế biến", 4),
    ("Giống nấm men chịu nhiệt lên men rượu nếp than", 0),
    ("Quy trình tạo dòng lúa thơm chịu mặn bằng chỉ thị phân tử", 2),
    ("Thuốc mỡ điều trị vết thương từ cao chiết lá cây sài đất", 1),
    ("Phương pháp sản xuất màng bao ăn được từ gelatin da cá tra", 0),
    ("Thiết bị tách hạt sen tươi bán tự động", 4),
    ("Quy trình chiết xuất collagen từ vảy cá lóc", 0),
    ("Cống thủy lợi tự động vận hành theo mực nước triều", 3),
    ("Chế phẩm sinh học phòng trừ bệnh vàng lá thối rễ cây có múi", 0),
]
UTILITIES = [
    ("Máy gieo sạ lúa theo hàng kéo tay cải tiến", "Nguyễn Văn Bảy"),
    ("Hệ thống lọc nước tuần hoàn cho bể ương cá giống", 0),
    ("Lò sấy lúa tầng sôi dùng nhiên liệu trấu", "Công ty TNHH Cơ khí Tây Đô"),
    ("Thiết bị bóc vỏ khóm bán tự động", 5),
    ("Bẫy đèn năng lượng mặt trời diệt rầy nâu", "Trần Thanh Tâm"),
]
DESIGN_OBJECTS = [
    "Chai đựng nước mắm",
    "Hộp bánh pía",
    "Bao bì gạo",
    "Chai rượu nếp",
    "Hộp trà",
    "Nhãn chai nước ép",
    "Túi đựng khô cá",
    "Hũ mật ong",
    "Hộp kẹo dừa",
    "Chai nước uống",
    "Ghế gỗ",
    "Đèn trang trí",
    "Khay đựng bánh",
    "Bình gốm",
    "Hộp quà tết",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _firm(rng: random.Random, brand: str) -> str:
    roll = rng.random()
    if roll < 0.6:
        return f"{rng.choice(FIRM_FORMS)} {brand}"
    if roll < 0.75:
        return f"HTX {rng.choice(COOPERATIVE_TRADES)} {brand}"
    if roll < 0.85:
        return f"Cơ sở sản xuất {brand}"
    return _person(rng)


def _day(rng: random.Random, start: date = PERIOD_START, end: date = PERIOD_END) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def plan_rows(seed: int = SEED) -> list[dict]:
    """The demo register as plain rows (deterministic; tested against the report)."""
    rng = random.Random(seed)
    rows: list[dict] = []
    brand_owner = {brand: _firm(rng, brand) for brand in BRANDS}
    marks = rng.sample([(p, b) for p in PRODUCTS for b in BRANDS], PLAN[IPKind.TRADEMARK][0])
    for product, brand in marks:
        owner = brand_owner[brand] if rng.random() < 0.7 else _firm(rng, brand)
        if rng.random() < 0.02:
            owner = rng.choice(DIRECTORY_FIRMS)
        title = f"{product} {brand}{rng.choice(SUFFIXES)}"
        rows.append({"kind": IPKind.TRADEMARK, "title": title, "applicant": owner})
    for title, owner in PATENTS:
        rows.append({"kind": IPKind.PATENT, "title": title, "applicant": UNIVERSITIES[owner]})
    for title, owner in UTILITIES:
        applicant = UNIVERSITIES[owner] if isinstance(owner, int) else owner
        rows.append({"kind": IPKind.UTILITY, "title": title, "applicant": applicant})
    for index in range(PLAN[IPKind.DESIGN][0]):
        brand = BRANDS[(index * 7) % len(BRANDS)]
        rows.append(
            {
                "kind": IPKind.DESIGN,
                "title": f"{DESIGN_OBJECTS[index % len(DESIGN_OBJECTS)]} {brand}",
                "applicant": brand_owner[brand],
            }
        )
    for row in rows:
        row["filed_on"] = _day(rng)
    # Late applications of directory organizations: not published yet (members only).
    late = [row for row in rows if row["kind"] == IPKind.TRADEMARK][-6:]
    for index, row in enumerate(late):
        row["applicant"] = (DIRECTORY_FIRMS + UNIVERSITIES)[index]
        row["filed_on"] = PERIOD_END - timedelta(days=10 + index)
    _decide(rng, rows)
    _number(rng, rows)
    return rows


def _decide(rng: random.Random, rows: list[dict]) -> None:
    """Grant the planned number of each kind (granted by the period's end), and give the
    others a state consistent with their age."""
    for kind, (_count, grants, _prefix, (shortest, longest)) in PLAN.items():
        of_kind = [row for row in rows if row["kind"] == kind]
        eligible = [row for row in of_kind if (PERIOD_END - row["filed_on"]).days >= shortest]
        if len(eligible) < grants:  # move the oldest filing dates back until enough fit
            for row in sorted(of_kind, key=lambda r: r["filed_on"])[: grants * 2]:
                row["filed_on"] = _day(rng, PERIOD_START, PERIOD_END - timedelta(days=shortest))
            eligible = [row for row in of_kind if (PERIOD_END - row["filed_on"]).days >= shortest]
        granted = rng.sample(eligible, grants)
        for row in granted:
            room = (PERIOD_END - row["filed_on"]).days
            row["status"] = FilingStatus.GRANTED
            row["granted_on"] = row["filed_on"] + timedelta(
                days=rng.randint(shortest, min(longest, room))
            )
        for row in of_kind:
            if "status" in row:
                continue
            age = (PERIOD_END - row["filed_on"]).days
            roll = rng.random()
            if age < 45:
                row["status"] = FilingStatus.FILED
            elif age > 300 and roll < 0.15:
                row["status"] = FilingStatus.REFUSED
            elif roll > 0.97:
                row["status"] = FilingStatus.WITHDRAWN
            else:
                row["status"] = FilingStatus.EXAMINED


def _number(rng: random.Random, rows: list[dict]) -> None:
    """Application numbers in the office's form (4-2017-01234) by filing order, and grant
    numbers (4-0298765) by grant order."""
    rows.sort(key=lambda row: (row["filed_on"], row["title"]))
    sequence: dict[tuple[str, int], int] = {}
    for row in rows:
        prefix = PLAN[row["kind"]][2]
        key = (prefix, row["filed_on"].year)
        sequence[key] = sequence.get(key, rng.randint(100, 400)) + rng.randint(1, 25)
        row["application_number"] = f"{prefix}-{key[1]}-{sequence[key]:05d}"
    granted = sorted(
        (row for row in rows if row.get("granted_on")), key=lambda r: (r["granted_on"], r["title"])
    )
    next_grant = {"4": 260000, "1": 15800, "2": 1500, "3": 21000}
    for row in granted:
        prefix = PLAN[row["kind"]][2]
        next_grant[prefix] += rng.randint(1, 40)
        width = 7 if prefix in ("4", "3") else 6
        row["grant_number"] = f"{prefix}-{next_grant[prefix]:0{width}d}"


# Filings that came from the demo tasks (formerly recorded by the task registry).
TASK_FILINGS = [
    {
        "task_suffix": ".06",
        "kind": IPKind.UTILITY,
        "title": "Quy trình bao màng chitosan cho bưởi",
        "application_number": "2-2023-00412",
        "filed_on": date(2023, 6, 5),
        "status": FilingStatus.EXAMINED,
    },
    {
        "task_suffix": ".18",
        "kind": IPKind.TRADEMARK,
        "title": "Dâu Hạ Châu Phong Điền",
        "application_number": "4-2021-31025",
        "filed_on": date(2021, 9, 1),
        "grant_number": "4-0412345",
        "granted_on": date(2022, 10, 3),
        "status": FilingStatus.GRANTED,
    },
]


def load_sample(log: Callable[[str], None] = print) -> None:
    """The demo register (idempotent: skipped once its numbers are there)."""
    organizations = {name: pk for pk, name in Organization.objects.values_list("pk", "name")}
    created = 0
    if not Filing.objects.filter(filed_on__range=(PERIOD_START, PERIOD_END)).exists():
        batch = []
        for row in plan_rows():
            organization_id = organizations.get(row["applicant"])
            filing = Filing(
                kind=row["kind"],
                title=row["title"],
                application_number=row["application_number"],
                filed_on=row["filed_on"],
                applicant_organization_id=organization_id,
                applicant_name="" if organization_id else row["applicant"],
                status=row["status"],
                grant_number=row.get("grant_number", ""),
                granted_on=row.get("granted_on"),
            )
            filing.refresh_folded()
            batch.append(filing)
        with transaction.atomic():
            Filing.objects.bulk_create(batch, batch_size=500)
        created += len(batch)
    for item in TASK_FILINGS:
        task = Task.objects.filter(code__endswith=item["task_suffix"]).order_by("pk").first()
        if (
            task is None
            or Filing.objects.filter(
                kind=item["kind"], application_number=item["application_number"]
            ).exists()
        ):
            continue
        values = {key: value for key, value in item.items() if key != "task_suffix"}
        Filing.objects.create(task=task, applicant_organization_id=task.host_id, **values)
        created += 1
    log(f"Sở hữu trí tuệ: {created} đơn")


def generate(scale: int, seed: int, progress) -> dict:
    """About scale/10 synthetic filings by the directory's organizations, for benchmarks."""
    from sti.core.synthetic import SyntheticText

    text = SyntheticText(seed)
    rng = random.Random(seed)
    organization_ids = list(Organization.objects.values_list("pk", flat=True))
    count = max(1, scale // 10)
    kinds = [IPKind.TRADEMARK] * 90 + [IPKind.PATENT] * 4 + [IPKind.UTILITY] + [IPKind.DESIGN] * 5
    offset = Filing.objects.count()
    advance = progress("Đơn sở hữu trí tuệ", count)
    for start in range(0, count, 2000):
        batch = []
        for index in range(start, min(count, start + 2000)):
            kind = rng.choice(kinds)
            filed_on = _day(rng, date(2010, 1, 1), date(2025, 12, 31))
            status = rng.choice(FilingStatus.values)
            granted = status == FilingStatus.GRANTED
            prefix = PLAN[kind][2]
            filing = Filing(
                kind=kind,
                title=text.title(rng.randint(3, 10)),
                application_number=f"{prefix}-{filed_on.year}-S{seed}-{offset + index:07d}",
                filed_on=filed_on,
                applicant_organization_id=rng.choice(organization_ids)
                if organization_ids
                else None,
                applicant_name="" if organization_ids else text.person_name()[0],
                status=status,
                grant_number=f"{prefix}-S{seed}-{offset + index:07d}" if granted else "",
                granted_on=filed_on + timedelta(days=rng.randint(200, 900)) if granted else None,
            )
            filing.refresh_folded()
            batch.append(filing)
        with transaction.atomic():
            Filing.objects.bulk_create(batch)
        advance(len(batch))
    return {"ip_filings": count}
