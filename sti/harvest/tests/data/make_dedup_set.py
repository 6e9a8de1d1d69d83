"""Writes `dedup_labelled.json`: records labelled with the work they describe, for the
duplicate-clustering test and bench (`python make_dedup_set.py`; deterministic).

Positives: one work catalogued by two or three centers, as catalogues really differ: without
diacritics, in capitals, with a full stop or other punctuation, "và" as "&", a typing slip in
a long word, the author written "Họ, Tên", the same DOI under an English title, an ISBN-10
against a hyphenated ISBN-13, and (missed on purpose, a known limit) an author with initials
and no identifier. Hard negatives: different works by the same author in the same year whose
titles differ by one place, one variety code, one phase number, one short word (mía/mít,
tôm sú/tôm thẻ), a longer title that contains the shorter one, or the same title with
another DOI or another year.
"""

import json
import random
import unicodedata
from pathlib import Path

TOPICS = [
    (
        "Nghiên cứu chọn tạo giống lúa chịu mặn cho vùng ven biển",
        "Salt-tolerant rice breeding for coastal areas",
    ),
    (
        "Đánh giá hiệu quả mô hình nuôi tôm càng xanh trong ruộng lúa",
        "Giant freshwater prawn in rice fields: an assessment",
    ),
    (
        "Giải pháp trữ ngọt phục vụ sản xuất nông nghiệp mùa khô",
        "Freshwater storage for dry-season farming",
    ),
    ("Xây dựng quy trình sản xuất khóm theo tiêu chuẩn VietGAP", "A VietGAP process for pineapple"),
    ("Phát triển chuỗi giá trị xoài cát Hòa Lộc", "The Hoa Loc mango value chain"),
    (
        "Ứng dụng chế phẩm sinh học xử lý rơm rạ sau thu hoạch",
        "Bio-products for rice straw treatment",
    ),
    (
        "Nghiên cứu quy trình nuôi cá tra thâm canh tuần hoàn",
        "Recirculating intensive pangasius farming",
    ),
    (
        "Bảo tồn và phát triển bền vững rừng tràm ngập nước",
        "Conservation of melaleuca wetland forest",
    ),
    ("Ứng dụng năng lượng mặt trời cho hộ nuôi thủy sản", "Solar power for aquaculture households"),
    (
        "Hệ thống quan trắc độ mặn tự động dựa trên Internet vạn vật",
        "An IoT salinity monitoring system",
    ),
    ("Sản xuất phân bón hữu cơ từ bèo lục bình", "Organic fertiliser from water hyacinth"),
    (
        "Phát triển du lịch sinh thái miệt vườn gắn với nông nghiệp",
        "Orchard eco-tourism and agriculture",
    ),
    (
        "Chuyển đổi số trong hợp tác xã nông nghiệp kiểu mới",
        "Digital transformation of new-style cooperatives",
    ),
    (
        "Đánh giá nguy cơ sạt lở bờ sông và giải pháp ứng phó",
        "Riverbank erosion risk and responses",
    ),
    (
        "Truy xuất nguồn gốc nông sản bằng mã định danh điện tử",
        "Traceability of farm produce with e-codes",
    ),
    ("Nghiên cứu nhân giống in vitro cây chuối già hương", "In vitro propagation of banana"),
    ("Đánh giá chất lượng nước mặt kênh rạch nội đồng", "Surface water quality of inland canals"),
    (
        "Xây dựng cơ sở dữ liệu nguồn gen cây ăn trái đặc sản",
        "A database of fruit tree genetic resources",
    ),
    (
        "Kỹ thuật canh tác lúa thông minh thích ứng biến đổi khí hậu",
        "Climate-smart rice cultivation",
    ),
    ("Phát triển sản phẩm OCOP từ dừa sáp", "OCOP products from macapuno coconut"),
    ("Nghiên cứu chiết xuất tinh dầu vỏ bưởi Năm Roi", "Essential oil from pomelo peel"),
    (
        "Giải pháp giảm phát thải khí nhà kính trong canh tác lúa",
        "Reducing greenhouse gas emissions from rice",
    ),
    ("Ứng dụng công nghệ sấy bơm nhiệt cho trái cây", "Heat-pump drying of fruit"),
    (
        "Mô hình liên kết tiêu thụ nông sản giữa nông dân và doanh nghiệp",
        "Farmer–firm marketing linkages",
    ),
    (
        "Đánh giá tác động của xâm nhập mặn đến sinh kế người dân",
        "Salinity intrusion and livelihoods",
    ),
    ("Nghiên cứu sử dụng phụ phẩm cá tra làm thức ăn chăn nuôi", "Pangasius by-products as feed"),
    ("Phát triển giống vịt chạy đồng thích nghi vùng lũ", "Field-running ducks for flood areas"),
    ("Hoàn thiện quy trình nhân giống sen lấy hạt", "Propagation of seed lotus"),
    (
        "Xây dựng bản đồ thổ nhưỡng phục vụ quy hoạch nông nghiệp",
        "Soil maps for agricultural planning",
    ),
    ("Ứng dụng trí tuệ nhân tạo dự báo dịch hại lúa", "AI forecasting of rice pests"),
    ("Đánh giá hiệu quả kinh tế mô hình trồng nấm rơm", "Economics of straw mushroom growing"),
    ("Nghiên cứu phục hồi rừng ngập mặn ven biển", "Coastal mangrove restoration"),
    ("Giải pháp cấp nước sạch cho vùng nông thôn ven biển", "Clean water for coastal rural areas"),
    ("Phát triển thương hiệu gạo đặc sản của tỉnh", "Branding provincial specialty rice"),
    ("Nghiên cứu bệnh vàng lá thối rễ trên cây có múi", "Greening and root rot of citrus"),
    (
        "Ứng dụng máy bay không người lái trong phun thuốc bảo vệ thực vật",
        "Drones for crop spraying",
    ),
    (
        "Đánh giá hiện trạng và định hướng phát triển làng nghề truyền thống",
        "Traditional craft villages",
    ),
    ("Xây dựng mô hình nuôi lươn không bùn", "Mudless eel farming"),
    ("Nghiên cứu sản xuất nước mắm truyền thống đạt chuẩn an toàn", "Safe traditional fish sauce"),
    ("Phát triển cây dược liệu dưới tán rừng", "Medicinal plants under forest canopy"),
]
PLACES = [
    "Sóc Trăng",
    "Bạc Liêu",
    "An Giang",
    "Đồng Tháp",
    "Vĩnh Long",
    "Cà Mau",
    "Hậu Giang",
    "Trà Vinh",
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Dương",
    "Lâm",
    "Châu",
    "Thạch",
]
GIVEN = [
    "Văn An",
    "Thị Bích Ngọc",
    "Minh Châu",
    "Hoàng Dũng",
    "Thị Hạnh",
    "Quốc Khánh",
    "Thanh Tâm",
    "Hữu Phước",
]
SOURCES = ["an-giang", "soc-trang", "can-tho", "dong-thap"]
SHORT_SWAPS = [("mía", "mít"), ("tôm sú", "tôm thẻ"), ("cam", "cau"), ("lúa", "lác")]


def fold(text):
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def typo(title, rng):
    words = title.split()
    long_words = [i for i, w in enumerate(words) if len(fold(w)) >= 6 and w.isalpha()]
    if not long_words:  # a letter added to a five-letter word instead
        five = [i for i, w in enumerate(words) if len(fold(w)) == 5 and w.isalpha()]
        if not five:
            return title + " "
        i = rng.choice(five)
        words[i] = words[i][:2] + words[i][1] + words[i][2:]
        return " ".join(words)
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = w[:j] + w[j + 1 :]  # a letter dropped
    return " ".join(words)


def variant(kind, title, author, doi, isbn, title_en, rng):
    """How another catalogue gives the same work: (title, author, DOI, ISBN)."""
    if kind == "folded":
        return fold(title), author, doi, isbn
    if kind == "upper":
        return title.upper(), author, doi, isbn
    if kind == "period":
        return title + ".", author, doi, isbn
    if kind == "and":
        return title.replace(" và ", " & "), author, doi, isbn
    if kind == "typo":
        return typo(title, rng), author, doi, isbn
    if kind == "author_comma":
        family, given = author.split(" ", 1)
        return title, f"{family}, {given}", doi, isbn
    if kind == "doi_english":
        return title_en, author, doi.upper(), isbn
    if kind == "isbn":
        return title.replace(" tại ", " – "), author, doi, isbn13_hyphenated(isbn)
    if kind == "punct":
        return title.replace(": ", " - ").replace(" tại ", ", "), author, doi, isbn
    if kind == "initials":
        parts = author.split()
        return title, parts[0] + " " + " ".join(p[0] + "." for p in parts[1:]), doi, isbn
    return title, author, doi, isbn


def isbn10(n):
    core = f"604{n:06d}"
    check = sum((10 - k) * int(d) for k, d in enumerate(core)) % 11
    return core + ("X" if (11 - check) % 11 == 10 else str((11 - check) % 11))


def isbn13_hyphenated(ten):
    core = "978" + ten[:9]
    total = sum(int(d) * (1 if k % 2 == 0 else 3) for k, d in enumerate(core))
    digits = core + str((10 - total % 10) % 10)
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]}-{digits[9:12]}-{digits[12]}"


def main():
    rng = random.Random(20261129)
    records, work = [], 0

    def add(work_id, source, title, author, year, doi="", isbn="", more=()):
        records.append(
            {
                "id": len(records),
                "work": work_id,
                "source": source,
                "title": title,
                "creators": [author, *more],
                "year": year,
                "doi": doi,
                "isbn": isbn,
            }
        )

    variants = [
        "folded",
        "upper",
        "period",
        "and",
        "typo",
        "author_comma",
        "doi_english",
        "isbn",
        "punct",
        "initials",
    ]
    for index, (title_vi, title_en) in enumerate(TOPICS):
        place = PLACES[index % len(PLACES)]
        title = f"{title_vi} tại {place}"
        if index % 5 == 0:
            title = title.replace(" và ", " và ") if " và " in title else title + " và vùng lân cận"
        author = f"{SURNAMES[index % len(SURNAMES)]} {GIVEN[index % len(GIVEN)]}"
        co = f"{SURNAMES[(index + 3) % len(SURNAMES)]} {GIVEN[(index + 5) % len(GIVEN)]}"
        year = 2012 + index % 13
        for round_ in range(2):  # each topic: two works, each with duplicates
            work += 1
            kind = variants[(index * 2 + round_) % len(variants)]
            doi = f"10.5555/mekong.{year}.{work:04d}" if kind == "doi_english" else ""
            isbn = isbn10(work) if kind == "isbn" else ""
            t = title if round_ == 0 else f"Báo cáo tổng hợp: {title}"
            sources = rng.sample(SOURCES, 3 if work % 4 == 0 else 2)
            add(work, sources[0], t, author, year, doi, isbn, [co])
            for source in sources[1:]:
                other_title, other_author, other_doi, other_isbn = variant(
                    kind, t, author, doi, isbn, title_en, rng
                )
                add(work, source, other_title, other_author, year, other_doi, other_isbn, [co])
        # Hard negatives: another work by the same author in the same year, similar title.
        negatives = [
            f"{title_vi} tại {PLACES[(index + 1) % len(PLACES)]}",
            f"{title_vi} tại {place} giai đoạn 2",
            f"{title_vi} tại {place} và các tỉnh lân cận ven biển",
        ]
        if index % 3 == 0:
            negatives.append(f"Giống lúa OM{5400 + index} {title_vi.lower()} tại {place}")
            negatives.append(f"Giống lúa OM{4900 + index} {title_vi.lower()} tại {place}")
        for short, other in SHORT_SWAPS:
            if index % len(SHORT_SWAPS) == SHORT_SWAPS.index((short, other)):
                negatives.append(f"Kỹ thuật trồng {short} xen canh tại {place}")
                negatives.append(f"Kỹ thuật trồng {other} xen canh tại {place}")
        for negative in negatives:
            work += 1
            add(work, rng.choice(SOURCES), negative, author, year)
        # Same title, another DOI (a conference paper and its journal article).
        work += 1
        add(work, "can-tho", f"Tổng quan {title_vi.lower()}", author, year, f"10.5555/hn.{work}")
        work += 1
        add(work, "an-giang", f"Tổng quan {title_vi.lower()}", author, year, f"10.5555/tc.{work}")
        # The same yearly report title in another year.
        work += 1
        add(work, "soc-trang", f"Báo cáo thường niên {title_vi.lower()}", author, year)
        work += 1
        add(work, "dong-thap", f"Báo cáo thường niên {title_vi.lower()}", author, year + 1)
    path = Path(__file__).with_name("dedup_labelled.json")
    path.write_text(json.dumps(records, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(records)} records, {work} works -> {path}")


if __name__ == "__main__":
    main()
