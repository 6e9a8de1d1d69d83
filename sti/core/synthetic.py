"""Synthetic but realistic Vietnamese text and names, for benchmarks and `sti generate`.

The vocabulary is Vietnamese S&T syllables with their diacritics; words are drawn with a
Zipf distribution, so a few syllables are very common ("nghiên", "cứu") and most are rare,
as in real abstracts. Everything is seeded: the same seed gives the same records.
"""

from __future__ import annotations

import random
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
    "Cần Thơ", "Ninh Kiều", "Bình Thủy", "Cái Răng", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ",
    "Thới Lai", "Vĩnh Thạnh", "Vị Thanh", "Ngã Bảy", "Long Mỹ", "Phụng Hiệp", "Sóc Trăng",
    "Kế Sách", "Mỹ Xuyên", "Vĩnh Châu", "Trần Đề", "Cù Lao Dung", "Mỹ Tú", "Ngã Năm",
]
TOPICS = [
    "Nông nghiệp Công nghệ cao", "Thủy sản", "Công nghệ Sinh học", "Thực phẩm", "Môi trường",
    "Cơ khí Chế tạo", "Năng lượng Tái tạo", "Y Dược", "Công nghệ Thông tin", "Giống Cây trồng",
]
FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng",
    "Đỗ", "Ngô", "Hồ", "Dương", "Lâm", "Đoàn", "Châu", "Thạch", "Lý", "Quách", "Tăng", "Kim",
]
MIDDLE_NAMES_MALE = ["Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Đức", "Hoàng", "Tấn", "Chí"]
MIDDLE_NAMES_FEMALE = ["Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng", "Diễm", "Phương"]
GIVEN_NAMES_MALE = ["Hùng", "Dũng", "Phúc", "Khang", "Tài", "Đạt", "Trung", "Nghĩa", "Lộc", "Tín", "Bảo", "Khoa", "Thịnh"]
GIVEN_NAMES_FEMALE = ["Lan", "Hương", "Ngọc", "Trang", "Thảo", "Yến", "Nhung", "Diệu", "Hạnh", "Quyên", "Vy", "Trâm"]


class SyntheticText:
    """A seeded source of Vietnamese S&T titles, abstracts and names."""

    def __init__(self, seed: int = 42, vocabulary: list[str] | None = None, zipf_s: float = 1.07):
        self.random = random.Random(seed)
        self.vocabulary = vocabulary or VOCABULARY
        weights = [1.0 / (rank**zipf_s) for rank in range(1, len(self.vocabulary) + 1)]
        # Shuffle which syllable gets which rank, reproducibly, so the frequent ones are not
        # simply the first line of the list.
        order = list(range(len(self.vocabulary)))
        random.Random(seed + 1).shuffle(order)
        self.vocabulary = [self.vocabulary[i] for i in order]
        self._cumulative = list(accumulate(weights))

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

    def person_name(self) -> tuple[str, str]:
        """(full name, gender)."""
        if self.random.random() < 0.5:
            parts = [self.random.choice(FAMILY_NAMES), self.random.choice(MIDDLE_NAMES_MALE), self.random.choice(GIVEN_NAMES_MALE)]
            return " ".join(parts), "male"
        parts = [self.random.choice(FAMILY_NAMES), self.random.choice(MIDDLE_NAMES_FEMALE), self.random.choice(GIVEN_NAMES_FEMALE)]
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
    "101", "102", "104", "105", "106", "201", "202", "203", "207", "209", "211",
    "301", "302", "303", "304", "401", "402", "403", "405", "406", "502", "503", "507",
]
