"""Synthetic but realistic Vietnamese text and names, for benchmarks and `sti generate`.

The vocabulary has the shape of real Vietnamese text: a few thousand distinct syllables with
their diacritics, drawn with a Zipf distribution. The most frequent ranks are function words
and curated S&T syllables ("nghiên", "cứu", "lúa", "Cần Thơ"); the long tail is several
thousand well-formed syllables built from onsets × rhymes × tones, following the spelling
rules (c/k, g/gh, ng/ngh; only sắc and nặng on rhymes ending in p, t, c, ch). A tiny
vocabulary would make every posting list huge and every benchmark misleading.
Everything is seeded: the same seed gives the same records.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache
from itertools import accumulate

# Syllables seen in Vietnamese S&T titles and abstracts (agriculture, aquaculture, food,
# medicine, engineering, environment, social sciences), including near-homographs that
# differ only by marks (đường / dương / đương, mặn / man, tôm / tom) to exercise ranking.
VOCABULARY = """
nghiên cứu ứng dụng xây dựng quy trình sản xuất giống lúa thơm chịu mặn phục vụ vùng ven biển
đánh giá hiện trạng giải pháp phát triển mô hình nuôi tôm thẻ chân trắng cá tra siêu thâm canh
ao lót bạt tuần hoàn nước chế phẩm vi sinh xử lý rơm rạ ruộng sau thu hoạch địa bàn huyện
thành phố Cần Thơ Hậu Giang Sóc Trăng đồng bằng sông Cửu Long Hậu Tiền kháng kháng sinh vi khuẩn
gây bệnh gan thận mủ phân hữu cơ bùn thải màng bao chitosan kéo dài thời gian bảo quản bưởi
Năm Roi xuất khẩu sấy thăng hoa khóm Cầu Đúc chiết xuất pectin vỏ mứt đông nước ép nhãn Ido
đóng chai thanh trùng bánh pía ít đường bao gói hạn sử dụng bao bì phân hủy sinh học trấu
tinh bột khoai mì trí tuệ nhân tạo nhận dạng sâu bệnh hại ảnh chụp điện thoại hệ thống IoT
quan trắc độ tự động vận hành cống thủy lợi sạt lở bờ quận Ô Môn đề xuất ứng phó tỷ lệ nhiễm
Helicobacter pylori clarithromycin bệnh nhân viêm dạ dày khảo sát tiền đái tháo người tuổi
trở lên Trichoderma phòng trừ vàng lá thối rễ cây có múi tạo lập quản lý nhãn hiệu chứng nhận
dâu Hạ Châu Phong Điền nhân in vitro chuối già Nam Mỹ sạch quy mô năm cơ sở dữ liệu nguồn gen
ăn trái đặc sản thư viện số tra cứu thông tin khoa học công nghệ nông dân điện hóa hoạt hóa phi
lê đông lạnh hệ sinh thái khởi nghiệp đổi mới sáng tạo đến chất lượng hiệu quả kinh tế xã hội
môi trường biến đổi khí hậu xâm nhập hạn hán lũ lụt canh tác bền vững năng suất sinh trưởng
dinh dưỡng enzyme protein lipid vitamin khoáng chất hàm lượng phân tích thống kê thực nghiệm
đối chứng nghiệm thức lặp lại kết quả cho thấy tăng giảm đáng kể ý nghĩa mẫu thu thập điều tra
hộ gia đình doanh nghiệp hợp tác xã thị trường chuỗi giá trị liên kết tiêu thụ chế biến sâu
đường dương đương mặn man tôm tom cá ca lúa lua gạo nếp mè đậu bắp ngô khoai sắn mía dừa xoài
cam quýt chanh sầu riêng măng cụt chôm chôm thanh long vú sữa heo bò gà vịt dê thỏ ong mật
nấm men lactic lên men ủ chua thức ăn chăn nuôi thủy sản thú y vắc xin kháng thể miễn dịch
gen đột biến chọn lọc lai tạo phân tử chỉ thị DNA PCR giải trình tự bộ sinh vật chuyển
kỹ thuật cơ khí điện tử vật liệu nano composite polymer bê tông cầu cảng giao thông năng lượng
mặt trời gió sinh khối tiết kiệm pin lưu trữ cảm biến mạng không dây phần mềm ứng dụng di động
y học lâm sàng dịch tễ cộng đồng bệnh viện điều trị chẩn đoán hình ảnh xét nghiệm huyết thanh
giáo dục đào tạo nguồn nhân lực chính sách pháp luật văn hóa du lịch lịch sử địa phương
""".split()

# The most frequent syllables of any Vietnamese text: they lead the Zipf ranks.
FUNCTION_WORDS = """
và của các cho trong với là được có những một này theo tại để khi về từ đã đến trên
""".split()

# Onsets and rhymes of Vietnamese syllables. In a rhyme, "*" follows the vowel that carries
# the tone mark (modern placement).
_ONSETS = (
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
)
_RHYMES = """
a* a*i a*o a*u a*y a*c a*ch a*m a*n a*ng a*nh a*p a*t ă*c ă*m ă*n ă*ng ă*p ă*t â*c â*m â*n
â*ng â*p â*t â*u â*y e* e*o e*m e*n e*ng e*p e*t e*c ê* ê*m ê*n ê*nh ê*p ê*t ê*ch ê*u i* i*a
i*m i*n i*nh i*p i*t i*ch i*u iê*c iê*m iê*n iê*ng iê*p iê*t iê*u o* oa* oa*i oa*n oa*ng
oa*nh oa*t oa*c oe* o*i o*m o*n o*ng o*p o*t o*c ô* ô*i ô*m ô*n ô*ng ô*p ô*t ô*c ơ* ơ*i ơ*m
ơ*n ơ*p ơ*t u* u*a uâ*n uâ*t uê* u*i u*m u*n u*ng u*p u*t u*c uy* uyê*n uyê*t uô*i uô*m
uô*n uô*ng uô*t uô*c ư* ư*a ư*i ư*ng ư*t ư*c ươ*i ươ*m ươ*n ươ*ng ươ*p ươ*t ươ*c ư*u
""".split()
# level (no mark), huyền, sắc, hỏi, ngã, nặng
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_STOP_TONES = ("\u0301", "\u0323")
_FRONT = ("i", "e", "ê", "y")
TAIL_SIZE = 6000


def _well_formed(onset: str, rhyme: str) -> bool:
    front = rhyme.startswith(_FRONT)
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "g", "ng"):
        return not front
    if onset == "qu":
        return not rhyme.startswith(("u", "o", "ư", "ô", "ơ"))
    if onset == "gi":
        return not rhyme.startswith("i")
    return True


@lru_cache(maxsize=1)
def full_vocabulary() -> tuple[str, ...]:
    """Function words, the curated S&T syllables, then a seeded tail of generated syllables."""
    head: list[str] = []
    for word in FUNCTION_WORDS + VOCABULARY:
        if word not in head:
            head.append(word)
    seen = {word.lower() for word in head}
    generated = []
    for onset in _ONSETS:
        for rhyme in _RHYMES:
            if not _well_formed(onset, rhyme):
                continue
            tones = _STOP_TONES if rhyme.endswith(("p", "t", "c", "ch")) else _TONES
            for tone in tones:
                syllable = unicodedata.normalize("NFC", onset + rhyme.replace("*", tone))
                if syllable not in seen:
                    seen.add(syllable)
                    generated.append(syllable)
    random.Random(20250101).shuffle(generated)
    return tuple(head + generated[:TAIL_SIZE])


ORGANIZATION_PATTERNS = [
    "Trường Đại học {place}",
    "Viện Nghiên cứu {topic} {place}",
    "Trung tâm Ứng dụng {topic} {place}",
    "Công ty TNHH {topic} {place}",
    "Công ty CP {topic} {place}",
    "Hợp tác xã Nông nghiệp {place}",
    "Bệnh viện Đa khoa {place}",
]
PLACES = [
    "Cần Thơ",
    "Ninh Kiều",
    "Bình Thủy",
    "Cái Răng",
    "Ô Môn",
    "Thốt Nốt",
    "Phong Điền",
    "Cờ Đỏ",
    "Thới Lai",
    "Vĩnh Thạnh",
    "Vị Thanh",
    "Ngã Bảy",
    "Long Mỹ",
    "Phụng Hiệp",
    "Sóc Trăng",
    "Kế Sách",
    "Mỹ Xuyên",
    "Vĩnh Châu",
    "Trần Đề",
    "Cù Lao Dung",
    "Mỹ Tú",
    "Ngã Năm",
]
TOPICS = [
    "Nông nghiệp Công nghệ cao",
    "Thủy sản",
    "Công nghệ Sinh học",
    "Thực phẩm",
    "Môi trường",
    "Cơ khí Chế tạo",
    "Năng lượng Tái tạo",
    "Y Dược",
    "Công nghệ Thông tin",
    "Giống Cây trồng",
]
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lâm",
    "Đoàn",
    "Châu",
    "Thạch",
    "Lý",
    "Quách",
    "Tăng",
    "Kim",
]
MIDDLE_NAMES_MALE = ["Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Đức", "Hoàng", "Tấn", "Chí"]
MIDDLE_NAMES_FEMALE = ["Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng", "Diễm", "Phương"]
GIVEN_NAMES_MALE = [
    "Hùng",
    "Dũng",
    "Phúc",
    "Khang",
    "Tài",
    "Đạt",
    "Trung",
    "Nghĩa",
    "Lộc",
    "Tín",
    "Bảo",
    "Khoa",
    "Thịnh",
]
GIVEN_NAMES_FEMALE = [
    "Lan",
    "Hương",
    "Ngọc",
    "Trang",
    "Thảo",
    "Yến",
    "Nhung",
    "Diệu",
    "Hạnh",
    "Quyên",
    "Vy",
    "Trâm",
]


class SyntheticText:
    """A seeded source of Vietnamese S&T titles, abstracts and names."""

    def __init__(self, seed: int = 42, vocabulary: list[str] | None = None, zipf_s: float = 1.07):
        self.random = random.Random(seed)
        self.seed = seed
        words = list(vocabulary or full_vocabulary())
        # Shuffle which syllable gets which rank, reproducibly, but keep function words first
        # and the curated S&T syllables in front of the generated tail.
        if vocabulary is None:
            functions = len(FUNCTION_WORDS)
            head_end = len(set(FUNCTION_WORDS + VOCABULARY))
            groups = [words[:functions], words[functions:head_end], words[head_end:]]
        else:
            groups = [[], words, []]
        shuffler = random.Random(seed + 1)
        shuffler.shuffle(groups[1])
        shuffler.shuffle(groups[2])
        self.vocabulary = groups[0] + groups[1] + groups[2]
        weights = [1.0 / (rank**zipf_s) for rank in range(1, len(self.vocabulary) + 1)]
        self._cumulative = list(accumulate(weights))
        self._numpy_rng = None

    def words(self, count: int) -> list[str]:
        return self.random.choices(self.vocabulary, cum_weights=self._cumulative, k=count)

    def title(self, syllables: int = 12) -> str:
        words = self.words(max(3, int(self.random.gauss(syllables, 2))))
        return " ".join(words).capitalize()

    def abstract(self, syllables: int = 150) -> str:
        words = self.words(max(20, int(self.random.gauss(syllables, 20))))
        sentences, start = [], 0
        while start < len(words):
            length = self.random.randint(12, 24)
            sentences.append(" ".join(words[start : start + length]).capitalize() + ".")
            start += length
        return " ".join(sentences)

    def texts(self, count: int, title_syllables: int = 12, abstract_syllables: int = 150):
        """Yield `count` (title, abstract) pairs, drawn in bulk (numpy): fast enough to feed
        a 300,000-record benchmark without the generator dominating the measurement."""
        import numpy as np

        if self._numpy_rng is None:
            self._numpy_rng = np.random.default_rng(self.seed)
            cumulative = np.asarray(self._cumulative)
            self._probabilities = np.diff(cumulative, prepend=0.0) / cumulative[-1]
        rng = self._numpy_rng
        vocabulary = self.vocabulary
        batch = 2000
        for start in range(0, count, batch):
            size = min(batch, count - start)
            title_lengths = np.maximum(3, rng.normal(title_syllables, 2, size).astype(int))
            abstract_lengths = np.maximum(20, rng.normal(abstract_syllables, 20, size).astype(int))
            total = int(title_lengths.sum() + abstract_lengths.sum())
            drawn = rng.choice(len(vocabulary), size=total, p=self._probabilities).tolist()
            sentence_lengths = rng.integers(12, 25, size=total // 12 + size).tolist()
            cursor = sentence_cursor = 0
            for title_length, abstract_length in zip(
                title_lengths.tolist(), abstract_lengths.tolist(), strict=False
            ):
                title = " ".join(vocabulary[i] for i in drawn[cursor : cursor + title_length])
                cursor += title_length
                end = cursor + abstract_length
                sentences = []
                while cursor < end:
                    length = sentence_lengths[sentence_cursor]
                    sentence_cursor += 1
                    piece = drawn[cursor : min(cursor + length, end)]
                    sentences.append(" ".join(vocabulary[i] for i in piece).capitalize() + ".")
                    cursor += len(piece)
                yield title.capitalize(), " ".join(sentences)

    def person_name(self) -> tuple[str, str]:
        """(full name, gender)."""
        if self.random.random() < 0.5:
            parts = [
                self.random.choice(FAMILY_NAMES),
                self.random.choice(MIDDLE_NAMES_MALE),
                self.random.choice(GIVEN_NAMES_MALE),
            ]
            return " ".join(parts), "male"
        parts = [
            self.random.choice(FAMILY_NAMES),
            self.random.choice(MIDDLE_NAMES_FEMALE),
            self.random.choice(GIVEN_NAMES_FEMALE),
        ]
        return " ".join(parts), "female"

    def organization_name(self) -> str:
        pattern = self.random.choice(ORGANIZATION_PATTERNS)
        return pattern.format(place=self.random.choice(PLACES), topic=self.random.choice(TOPICS))

    def place(self) -> str:
        return self.random.choice(PLACES)

    def year(self, start: int = 2005, end: int = 2025) -> int:
        return self.random.randint(start, end)

    def field_code(self) -> str:
        return self.random.choice(FIELD_CODES)


FIELD_CODES = [
    "101",
    "102",
    "104",
    "105",
    "106",
    "201",
    "202",
    "203",
    "207",
    "209",
    "211",
    "301",
    "302",
    "303",
    "304",
    "401",
    "402",
    "403",
    "405",
    "406",
    "502",
    "503",
    "507",
]
