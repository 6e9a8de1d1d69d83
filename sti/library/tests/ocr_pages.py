"""Generated scanned pages with their ground truth, for the OCR tests and `bench/ocr.py`.

Vietnamese prose rendered with Pillow (DejaVu Serif and Sans, one and two columns) at
150 dpi, then degraded as a tired scanner does: skew up to ±2°, blur, Gaussian noise,
salt-and-pepper. Plus a blank scan with a little dust and a page of noise with no text.
Every page is drawn from a fixed seed, so two runs give the same pixels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = {
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}

PARAGRAPHS = [
    "Đồng bằng sông Cửu Long là vùng sản xuất lúa gạo, trái cây và thủy sản lớn nhất cả "
    "nước. Trong những năm gần đây, xâm nhập mặn đến sớm hơn và vào sâu hơn trong đất liền, "
    "làm thiệt hại nhiều diện tích lúa vụ đông xuân ở Sóc Trăng, Bạc Liêu và Cà Mau.",
    "Đề tài đã khảo sát hai trăm bốn mươi hộ nông dân tại huyện Trần Đề và Mỹ Xuyên, đo độ "
    "mặn của nước kênh mỗi tuần và ghi nhận lịch xuống giống của từng cánh đồng. Kết quả cho "
    "thấy những hộ áp dụng lịch thời vụ theo dự báo có năng suất cao hơn gần một tấn trên héc ta.",
    "Mô hình luân canh lúa với tôm càng xanh giúp cải thiện thu nhập, giảm lượng phân bón hóa "
    "học và hạn chế sâu bệnh. Tuy vậy, người nuôi cần được tập huấn về quản lý chất lượng "
    "nước, mật độ thả giống và cách phòng bệnh đốm trắng trên tôm.",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ đã chuyển giao quy trình sản "
    "xuất phân hữu cơ vi sinh từ rơm rạ và bã bùn mía cho các hợp tác xã ở Phong Điền, Thới "
    "Lai và Cờ Đỏ. Sản phẩm đạt tiêu chuẩn quốc gia về hàm lượng chất hữu cơ và độ ẩm.",
    "Hội đồng nghiệm thu đánh giá đề tài đạt loại khá, đề nghị tiếp tục nhân rộng mô hình "
    "trong giai đoạn tiếp theo, đồng thời bổ sung số liệu về hiệu quả kinh tế, tác động môi "
    "trường và khả năng thích ứng với biến đổi khí hậu của từng tiểu vùng sinh thái.",
    "Nhóm nghiên cứu khuyến cáo nạo vét kênh nội đồng trước mùa khô, gia cố đê bao, vận hành "
    "cống thủy lợi theo con nước và trữ nước ngọt trong ao, mương vườn. Người dân nên chọn "
    "giống lúa ngắn ngày, chịu mặn và xuống giống đồng loạt để né đỉnh mặn.",
]


@dataclass(frozen=True)
class Degradation:
    skew: float = 0.0  # degrees, positive is counter-clockwise
    blur: float = 0.0  # Gaussian blur radius in pixels
    noise: float = 0.0  # standard deviation of Gaussian grey noise (0–255 scale)
    salt_pepper: float = 0.0  # share of pixels turned black or white
    contrast: float = 1.0  # below 1: grey ink on a grey page (a faded copy)


@dataclass(frozen=True)
class PageSpec:
    name: str
    kind: str  # "clean", "degraded", "blank" or "noise"
    font: str = "serif"
    columns: int = 1
    dpi: int = 150
    points: float = 11.0
    paragraphs: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    degradation: Degradation = field(default_factory=Degradation)
    seed: int = 1


@dataclass
class Page:
    spec: PageSpec
    image: Image.Image
    truth: str  # the text as drawn, lines joined by spaces ("" for blank and noise pages)


PAGES = [
    PageSpec("sach-serif-1cot", "clean", "serif", 1, seed=1),
    PageSpec("sach-sans-1cot", "clean", "sans", 1, seed=2),
    PageSpec("sach-serif-2cot", "clean", "serif", 2, points=10, seed=3),
    PageSpec("sach-sans-2cot", "clean", "sans", 2, points=10, seed=4),
    PageSpec(
        "nghieng-mo-serif-1cot",
        "degraded",
        "serif",
        1,
        degradation=Degradation(skew=1.6, blur=0.8, noise=18),
        seed=5,
    ),
    PageSpec(
        "muoi-tieu-sans-1cot",
        "degraded",
        "sans",
        1,
        degradation=Degradation(skew=-2.0, salt_pepper=0.02, blur=0.4),
        seed=6,
    ),
    PageSpec(
        "nhieu-serif-2cot",
        "degraded",
        "serif",
        2,
        points=10,
        degradation=Degradation(skew=-1.2, blur=0.6, noise=25, salt_pepper=0.01),
        seed=7,
    ),
    PageSpec(
        "phai-mau-sans-2cot",
        "degraded",
        "sans",
        2,
        points=10,
        degradation=Degradation(skew=2.0, blur=1.0, noise=12, contrast=0.55),
        seed=8,
    ),
    PageSpec(
        "mo-nang-serif-1cot",
        "degraded",
        "serif",
        1,
        degradation=Degradation(skew=0.8, blur=1.2, noise=20, salt_pepper=0.005),
        seed=9,
    ),
    PageSpec(
        "nang-serif-1cot",
        "degraded",
        "serif",
        1,
        degradation=Degradation(skew=2.0, blur=1.0, noise=30, salt_pepper=0.03),
        seed=12,
    ),
    PageSpec(
        "nang-serif-2cot",
        "degraded",
        "serif",
        2,
        points=10,
        degradation=Degradation(skew=-1.8, blur=1.1, noise=35, salt_pepper=0.02),
        seed=13,
    ),
    PageSpec(
        "muoi-tieu-nang-serif-1cot",
        "degraded",
        "serif",
        1,
        degradation=Degradation(skew=-2.0, salt_pepper=0.05),
        seed=15,
    ),
    # Faded grey print, blurred: beyond what OCR reads well; it must be flagged, not trusted.
    PageSpec(
        "phai-mo-serif-1cot",
        "degraded",
        "serif",
        1,
        points=10,
        degradation=Degradation(skew=1.0, blur=1.3, noise=25, contrast=0.6),
        seed=14,
    ),
    PageSpec("trang-trang", "blank", seed=10),
    PageSpec("nhieu-khong-chu", "noise", seed=11),
]


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _layout(spec: PageSpec) -> tuple[Image.Image, str]:
    dpi = spec.dpi
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONTS[spec.font], round(spec.points * dpi / 72))
    margin, gutter = int(0.9 * dpi), int(0.35 * dpi)
    column_width = (width - 2 * margin - (spec.columns - 1) * gutter) // spec.columns
    leading = round(spec.points * 1.5 * dpi / 72)
    lines: list[str | None] = []  # None: the gap between paragraphs
    for index in spec.paragraphs:
        lines.extend(_wrap(draw, PARAGRAPHS[index], font, column_width))
        lines.append(None)
    per_column = -(-len(lines) // spec.columns)
    drawn: list[str] = []
    for column in range(spec.columns):
        x = margin + column * (column_width + gutter)
        y = margin
        for line in lines[column * per_column : (column + 1) * per_column]:
            if line is not None:
                draw.text((x, y), line, font=font, fill=0)
                drawn.append(line)
            y += leading
    return image, " ".join(drawn)


def _degrade(image: Image.Image, d: Degradation, rng: np.random.Generator) -> Image.Image:
    if d.contrast != 1.0:
        array = np.asarray(image, dtype=np.float32)
        image = Image.fromarray((255 - (255 - array) * d.contrast).astype(np.uint8))
    if d.skew:
        image = image.rotate(d.skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if d.blur:
        image = image.filter(ImageFilter.GaussianBlur(d.blur))
    array = np.asarray(image, dtype=np.float32)
    if d.noise:
        array = array + rng.normal(0, d.noise, array.shape)
    if d.salt_pepper:
        hits = rng.random(array.shape)
        array[hits < d.salt_pepper / 2] = 0
        array[(hits >= d.salt_pepper / 2) & (hits < d.salt_pepper)] = 255
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def _blank(spec: PageSpec, rng: np.random.Generator) -> Image.Image:
    """A white page with a faint paper grain and a few specks of dust."""
    width, height = int(8.27 * spec.dpi), int(11.69 * spec.dpi)
    array = 245 + rng.normal(0, 4, (height, width))
    for _ in range(14):
        y, x = rng.integers(0, height - 4), rng.integers(0, width - 4)
        size = rng.integers(1, 4)
        array[y : y + size, x : x + size] = rng.integers(0, 80)
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def _noise(spec: PageSpec, rng: np.random.Generator) -> Image.Image:
    """A scan of no text: heavy grain, blotches and scratches (a photo of a dirty surface)."""
    width, height = int(8.27 * spec.dpi), int(11.69 * spec.dpi)
    array = 200 + rng.normal(0, 45, (height, width))
    image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    draw = ImageDraw.Draw(image)
    pyrng = random.Random(spec.seed)
    for _ in range(60):
        x, y = pyrng.randrange(width), pyrng.randrange(height)
        r = pyrng.randrange(4, 40)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=pyrng.randrange(40, 160))
    for _ in range(25):
        x, y = pyrng.randrange(width), pyrng.randrange(height)
        draw.line(
            (x, y, x + pyrng.randrange(-300, 300), y + pyrng.randrange(-300, 300)),
            fill=pyrng.randrange(0, 120),
            width=pyrng.randrange(1, 4),
        )
    array = np.asarray(image, dtype=np.float32) + rng.normal(0, 20, (height, width))
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def render(spec: PageSpec) -> Page:
    rng = np.random.default_rng(spec.seed)
    if spec.kind == "blank":
        return Page(spec, _blank(spec, rng), "")
    if spec.kind == "noise":
        return Page(spec, _noise(spec, rng), "")
    image, truth = _layout(spec)
    return Page(spec, _degrade(image, spec.degradation, rng), truth)


def pages(names: set[str] | None = None) -> list[Page]:
    return [render(spec) for spec in PAGES if names is None or spec.name in names]


def small_page(kind: str = "degraded", seed: int = 21) -> Page:
    """A quick page for end-to-end tests: two paragraphs of serif at 150 dpi, or blank."""
    if kind == "blank":
        return render(PageSpec("nho-trang", "blank", seed=seed))
    degradation = Degradation(skew=1.5, blur=0.8, noise=18) if kind == "degraded" else Degradation()
    return render(
        PageSpec("nho", kind, "serif", 1, paragraphs=(1, 3), degradation=degradation, seed=seed)
    )
