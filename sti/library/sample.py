"""Library sample data (`load_sample`, idempotent) and synthetic bulk data (`generate`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sti.core import files
from sti.core.models import FieldOfScience
from sti.library import services, storage
from sti.library.choices import (
    AccessLevel,
    CreatorRole,
    DigitizationState,
    DocumentStatus,
    SourceType,
    TextMethod,
)
from sti.library.models import Collection, Creator, Document, DocumentFile

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

COLLECTIONS = [
    # slug, name, parent slug, description
    (
        "ket-qua-nghien-cuu",
        "Kết quả nghiên cứu",
        None,
        "Báo cáo tổng hợp kết quả nhiệm vụ KH&CN đã nghiệm thu.",
    ),
    (
        "ket-qua-cap-thanh-pho",
        "Nhiệm vụ cấp thành phố",
        "ket-qua-nghien-cuu",
        "Đề tài, dự án cấp thành phố Cần Thơ.",
    ),
    ("ket-qua-cap-co-so", "Nhiệm vụ cấp cơ sở", "ket-qua-nghien-cuu", ""),
    (
        "tap-chi-khcn-can-tho",
        "Tạp chí KH&CN Cần Thơ",
        None,
        "Bài báo đăng trên Tạp chí Khoa học và Công nghệ Cần Thơ.",
    ),
    ("ban-tin-khcn", "Bản tin KH&CN", None, "Bản tin chọn lọc, bản tin nông nghiệp – nông thôn."),
    ("tieu-chuan", "Tiêu chuẩn", None, "Tiêu chuẩn quốc gia và quy chuẩn kỹ thuật."),
]

# (title, source type, field code, year, creators, collection slug, access, publisher, keywords)
REPORTS = [
    (
        "Nghiên cứu chọn tạo giống lúa thơm chịu mặn phục vụ vùng ven biển Sóc Trăng",
        "401",
        ["Trần Văn Hậu", "Lê Thị Mỹ Xuyên"],
        "Viện Lúa Đồng bằng sông Cửu Long",
        "lúa thơm; chịu mặn; Sóc Trăng",
    ),
    (
        "Ứng dụng chế phẩm vi sinh xử lý rơm rạ tại ruộng sau thu hoạch trên địa bàn huyện Cờ Đỏ",
        "406",
        ["Nguyễn Hữu Phúc"],
        "Trường Đại học Cần Thơ",
        "rơm rạ; vi sinh; Cờ Đỏ",
    ),
    (
        "Xây dựng quy trình nuôi tôm thẻ chân trắng siêu thâm canh trong ao lót bạt tuần hoàn nước",
        "405",
        ["Võ Minh Khang", "Huỳnh Thị Ngọc"],
        "Trường Đại học Cần Thơ",
        "tôm thẻ chân trắng; tuần hoàn nước",
    ),
    (
        "Đánh giá mức độ kháng kháng sinh của vi khuẩn gây bệnh gan thận mủ trên cá tra",
        "403",
        ["Phạm Quốc Tài"],
        "Trường Đại học Cần Thơ",
        "cá tra; kháng kháng sinh; gan thận mủ",
    ),
    (
        "Nghiên cứu sản xuất phân hữu cơ vi sinh từ bùn thải ao nuôi cá tra",
        "207",
        ["Đặng Thị Thảo"],
        "Trung tâm Ứng dụng tiến bộ KH&CN Cần Thơ",
        "phân hữu cơ; bùn thải",
    ),
    (
        "Ứng dụng màng bao chitosan kéo dài thời gian bảo quản bưởi Năm Roi xuất khẩu",
        "211",
        ["Lâm Thanh Trung", "Châu Kim Yến"],
        "Trường Đại học Cần Thơ",
        "chitosan; bưởi Năm Roi; bảo quản",
    ),
    (
        "Nghiên cứu quy trình sấy thăng hoa khóm Cầu Đúc Hậu Giang",
        "211",
        ["Bùi Công Đạt"],
        "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ",
        "sấy thăng hoa; khóm Cầu Đúc",
    ),
    (
        "Chiết xuất pectin từ vỏ bưởi và ứng dụng trong sản xuất mứt đông",
        "204",
        ["Ngô Thị Hạnh"],
        "Trường Đại học Nam Cần Thơ",
        "pectin; vỏ bưởi",
    ),
    (
        "Ứng dụng trí tuệ nhân tạo nhận dạng sâu bệnh hại lúa qua ảnh chụp điện thoại",
        "102",
        ["Trương Chí Khoa", "Hồ Bảo Trâm"],
        "Trường Đại học Cần Thơ",
        "trí tuệ nhân tạo; sâu bệnh; lúa",
    ),
    (
        "Xây dựng hệ thống IoT quan trắc độ mặn tự động phục vụ vận hành cống thủy lợi",
        "202",
        ["Đoàn Tấn Nghĩa"],
        "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ",
        "IoT; độ mặn; cống thủy lợi",
    ),
    (
        "Đánh giá hiện trạng sạt lở bờ sông Hậu đoạn qua quận Ô Môn và đề xuất giải pháp ứng phó",
        "105",
        ["Lý Văn Lộc"],
        "Viện Kinh tế – Xã hội TP. Cần Thơ",
        "sạt lở; sông Hậu; Ô Môn",
    ),
    (
        "Tỷ lệ nhiễm Helicobacter pylori kháng clarithromycin ở bệnh nhân viêm dạ dày tại Cần Thơ",
        "302",
        ["Quách Thị Diệu", "Tăng Minh Tín"],
        "Trường Đại học Y Dược Cần Thơ",
        "Helicobacter pylori; clarithromycin",
    ),
    (
        "Khảo sát tỷ lệ tiền đái tháo đường ở người từ 45 tuổi trở lên tại thành phố Cần Thơ",
        "303",
        ["Kim Thị Quyên"],
        "Bệnh viện Đa khoa Trung ương Cần Thơ",
        "tiền đái tháo đường; dịch tễ",
    ),
    (
        "Sản xuất thử nghiệm chế phẩm Trichoderma phòng trừ bệnh vàng lá thối rễ trên cây có múi",
        "401",
        ["Thạch Văn Dũng"],
        "Trung tâm Ứng dụng tiến bộ KH&CN Cần Thơ",
        "Trichoderma; vàng lá thối rễ; cây có múi",
    ),
    (
        "Tạo lập, quản lý và phát triển nhãn hiệu chứng nhận “Dâu Hạ Châu Phong Điền”",
        "502",
        ["Phan Thị Lan"],
        "Sở KH&CN TP. Cần Thơ",
        "nhãn hiệu chứng nhận; dâu Hạ Châu",
    ),
    (
        "Nhân giống in vitro chuối già Nam Mỹ sạch bệnh quy mô 100.000 cây/năm",
        "406",
        ["Hoàng Đức Thịnh"],
        "Trường Đại học Cần Thơ",
        "in vitro; chuối già Nam Mỹ",
    ),
    (
        "Xây dựng cơ sở dữ liệu nguồn gen cây ăn trái đặc sản thành phố Cần Thơ",
        "401",
        ["Dương Thanh Bảo", "Nguyễn Thị Vy"],
        "Sở KH&CN TP. Cần Thơ",
        "nguồn gen; cây ăn trái",
    ),
    (
        "Xây dựng thư viện số tra cứu thông tin KH&CN phục vụ nông dân vùng ĐBSCL",
        "102",
        ["Lê Hoàng Nam"],
        "Trung tâm Thông tin KH&CN TP. Cần Thơ",
        "thư viện số; nông dân",
    ),
    (
        "Ứng dụng nước điện hóa hoạt hóa trong bảo quản cá tra phi lê đông lạnh",
        "211",
        ["Trần Thị Trang"],
        "Trường Đại học Cần Thơ",
        "nước điện hóa; cá tra phi lê",
    ),
    (
        "Giải pháp phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo TP. Cần Thơ đến năm 2030",
        "502",
        ["Võ Thành Công", "Phạm Ngọc Hương"],
        "Viện Kinh tế – Xã hội TP. Cần Thơ",
        "khởi nghiệp; đổi mới sáng tạo",
    ),
]
ARTICLES = [
    (
        "Ảnh hưởng của độ mặn đến sinh trưởng của giống lúa OM5451 trong điều kiện nhà lưới",
        "401",
        ["Trần Văn Hậu"],
        "lúa; độ mặn",
    ),
    (
        "Hiệu quả kinh tế của mô hình lúa – tôm tại huyện Mỹ Xuyên, tỉnh Sóc Trăng",
        "502",
        ["Lê Thị Mỹ Xuyên", "Đỗ Văn Tín"],
        "lúa – tôm; hiệu quả kinh tế",
    ),
    (
        "Đặc điểm dịch tễ bệnh sốt xuất huyết Dengue tại Cần Thơ giai đoạn 2018–2023",
        "303",
        ["Kim Thị Quyên"],
        "sốt xuất huyết; dịch tễ",
    ),
    (
        "Tối ưu hóa quá trình lên men nước ép nhãn Ido bằng nấm men Saccharomyces",
        "211",
        ["Ngô Thị Hạnh"],
        "lên men; nhãn Ido",
    ),
    (
        "Đánh giá chất lượng nước mặt sông Cần Thơ bằng chỉ số WQI",
        "105",
        ["Lý Văn Lộc", "Đặng Thị Thảo"],
        "chất lượng nước; WQI",
    ),
    (
        "Thiết kế máy sấy lúa tĩnh vỉ ngang đảo chiều gió năng suất 8 tấn/mẻ",
        "203",
        ["Bùi Công Đạt"],
        "máy sấy lúa; đảo chiều gió",
    ),
]

# The full text of the sample files: each report its own findings, so a search finds a
# file for what it is about (a shared paragraph once made "xâm nhập mặn" find a diabetes survey).
FULL_TEXTS = {
    1: (
        "Đề tài lai tạo và chọn lọc các dòng lúa thơm từ tổ hợp lai giữa giống ST và giống "
        "chịu mặn Pokkali. Thí nghiệm thanh lọc mặn trong nhà lưới ở nồng độ 4‰ và 6‰, sau đó "
        "khảo nghiệm tại Trần Đề và Mỹ Xuyên trong hai vụ Đông Xuân, khi xâm nhập mặn lên cao "
        "nhất. Hai dòng triển vọng chịu mặn 4‰ ở giai đoạn mạ, năng suất 6,2–6,8 tấn/ha, "
        "hạt gạo dài, thơm nhẹ, đạt tiêu chuẩn xuất khẩu."
    ),
    3: (
        "Quy trình nuôi tôm thẻ chân trắng mật độ 250–300 con/m² trong ao lót bạt có hệ thống "
        "lắng lọc sinh học và tuần hoàn nước. Ba đợt nuôi thực nghiệm tại Vĩnh Châu đạt tỷ lệ "
        "sống 82%, hệ số chuyển đổi thức ăn 1,15, năng suất 38 tấn/ha/vụ; lượng nước thay giảm "
        "70% so với nuôi thâm canh thông thường, hạn chế dịch bệnh đốm trắng và hoại tử gan tụy."
    ),
    6: (
        "Bưởi Năm Roi được xử lý bằng dung dịch chitosan 1,5% phối trộn sáp ong, bảo quản ở "
        "10 °C và độ ẩm 85–90%. Sau 10 tuần, hao hụt khối lượng dưới 5%, vỏ giữ màu xanh vàng, "
        "độ Brix và vitamin C gần như không đổi. Quy trình đáp ứng thời gian vận chuyển đường "
        "biển sang thị trường châu Âu."
    ),
    9: (
        "Mô hình học sâu YOLOv8 được huấn luyện trên 12.000 ảnh chụp bằng điện thoại tại ruộng "
        "lúa Thới Lai và Cờ Đỏ, nhận dạng 8 loại sâu bệnh: đạo ôn lá, cháy bìa lá, rầy nâu, sâu "
        "cuốn lá… Độ chính xác trung bình đạt 91%. Ứng dụng chạy ngoại tuyến trên điện thoại "
        "phổ thông và gợi ý biện pháp xử lý theo khuyến cáo của ngành bảo vệ thực vật."
    ),
    13: (
        "Nghiên cứu cắt ngang trên 1.200 người từ 45 tuổi trở lên tại 9 quận, huyện của thành "
        "phố Cần Thơ, xét nghiệm đường huyết lúc đói và HbA1c. Tỷ lệ tiền đái tháo đường là "
        "23,4%; các yếu tố liên quan gồm vòng eo vượt ngưỡng, ít vận động thể lực, tiền sử gia "
        "đình mắc đái tháo đường và tăng huyết áp. Đề xuất chương trình sàng lọc tại trạm y tế."
    ),
}


def full_text(index: int, title: str, keywords: str) -> str:
    """The text of a sample report file: its title, its own findings and its keywords."""
    return (
        f"BÁO CÁO TÓM TẮT KẾT QUẢ NGHIÊN CỨU\n\n{title}\n\n{FULL_TEXTS[index]}\n\n"
        f"Từ khóa: {keywords.replace(';', ',')}.\n"
    )


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 7, text)
    return bytes(pdf.output())


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph.replace("\n", " "))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _collections() -> dict[str, Collection]:
    found = {}
    for order, (slug, name, parent, description) in enumerate(COLLECTIONS):
        collection, _created = Collection.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": found.get(parent),
                "description": description,
                "order": order,
            },
        )
        found[slug] = collection
    return found


def load_sample(log: Callable[[str], None] = print) -> None:
    """Collections and ~30 documents; a few with real PDF/DOCX files so full-text search shows."""
    from sti.accounts.models import User

    collections = _collections()
    existing = Document.objects.filter(call_number__startswith="MAU-").count()
    if existing:
        log(f"  thư viện: thêm 0 tài liệu; đã có {existing} tài liệu mẫu")
        return
    actor = User.objects.filter(is_superuser=True).first()
    fields = dict(FieldOfScience.objects.current().values_list("code", "pk"))
    rng = random.Random(2025)
    created = 0
    for index, (title, code, creators, publisher, keywords) in enumerate(REPORTS, start=1):
        # Every seventh report is registered-only; one is staff-only, one embargoed.
        access, embargo = AccessLevel.PUBLIC, None
        if index % 7 == 0:
            access = AccessLevel.REGISTERED
        if index == 11:
            access = AccessLevel.STAFF
        if index == 16:
            access, embargo = AccessLevel.EMBARGOED, timezone.localdate() + dt.timedelta(days=180)
        year = 2016 + index % 9
        abstract = (
            f"Báo cáo tổng hợp kết quả nhiệm vụ “{title}”. Nhiệm vụ do {publisher} chủ trì, "
            f"nghiệm thu năm {year}, đạt loại Khá. Báo cáo trình bày tổng quan, phương pháp, kết quả và kiến nghị."
        )
        document = services.create_document(
            actor,
            {
                "title": title,
                "abstract": abstract,
                "keywords": keywords,
                "publisher": publisher,
                "year": year,
                "source_type": SourceType.REPORT,
                "language": "vie",
                "access": access,
                "embargo_until": embargo,
                "call_number": f"MAU-{index:03d}/KQNC",
                "extent": f"{rng.randint(80, 240)} tr.",
                "coverage": "Thành phố Cần Thơ",
                "rights": "© Sở KH&CN TP. Cần Thơ",
                "digitization": DigitizationState.SCANNED
                if index <= 4
                else DigitizationState.BORN_DIGITAL,
            },
            creators=creators,
            fields=[fields[code]] if code in fields else [],
            collections=[
                collections["ket-qua-cap-thanh-pho" if index % 3 else "ket-qua-cap-co-so"]
            ],
        )
        if index in FULL_TEXTS:
            content = full_text(index, title, keywords)
            name, data = (
                (f"bao-cao-{index}.docx", _docx(content))
                if index == 9
                else (f"bao-cao-{index}.pdf", _pdf(content))
            )
            services.add_file(actor, document, SimpleUploadedFile(name, data))
        created += 1
    for index, (title, code, creators, keywords) in enumerate(ARTICLES, start=1):
        services.create_document(
            actor,
            {
                "title": title,
                "abstract": f"Bài báo khoa học: {title}.",
                "keywords": keywords,
                "publisher": "Sở KH&CN TP. Cần Thơ",
                "source": f"Tạp chí KH&CN Cần Thơ, số {index}, tr. {index * 10}–{index * 10 + 8}",
                "issn": "1859-4026",
                "year": 2020 + index % 5,
                "source_type": SourceType.ARTICLE,
                "language": "vie",
                "call_number": f"MAU-TC{index:02d}",
            },
            creators=creators,
            fields=[fields[code]] if code in fields else [],
            collections=[collections["tap-chi-khcn-can-tho"]],
        )
        created += 1
    services.create_document(
        actor,
        {
            "title": "TCVN 5603:2023 Nguyên tắc chung về vệ sinh thực phẩm",
            "source_type": SourceType.STANDARD,
            "publisher": "Bộ Khoa học và Công nghệ",
            "year": 2023,
            "language": "vie",
            "call_number": "MAU-TC-TCVN5603",
            "abstract": "Tiêu chuẩn quy định các nguyên tắc chung về vệ sinh thực phẩm trong toàn chuỗi thực phẩm.",
        },
        creators=["Ban kỹ thuật TCVN/TC/F4"],
        collections=[collections["tieu-chuan"]],
    )
    services.create_document(
        actor,
        {
            "title": "Bản tin KH&CN nông nghiệp – nông thôn số 3 năm 2024",
            "source_type": SourceType.BULLETIN,
            "publisher": "Trung tâm Thông tin KH&CN TP. Cần Thơ",
            "year": 2024,
            "language": "vie",
            "call_number": "MAU-BT-2024-03",
            "abstract": "Tin chọn lọc: giống lúa chịu mặn, mô hình nuôi tôm tuần hoàn, bảo quản trái cây sau thu hoạch.",
        },
        creators=["Trung tâm Thông tin KH&CN TP. Cần Thơ"],
        collections=[collections["ban-tin-khcn"]],
    )
    created += 2
    depositor = User.objects.filter(username="nguoidung").first()
    if depositor is not None:
        # A researcher's deposit waiting in the review queue: seen by its depositor and editors.
        services.deposit(
            depositor,
            {
                "title": "Kết quả thử nghiệm chế phẩm vi sinh xử lý rơm rạ tại huyện Thới Lai",
                "source_type": SourceType.REPORT,
                "publisher": "Hợp tác xã Nông nghiệp Thới Lai",
                "year": 2025,
                "language": "vie",
                "abstract": "Báo cáo thử nghiệm chế phẩm Trichoderma ủ rơm rạ sau thu hoạch lúa.",
                "keywords": "rơm rạ; Trichoderma; phân hữu cơ",
            },
            creators=["Trần Văn Phúc"],
        )
        created += 1
    log(f"  thư viện: thêm {created} tài liệu, {len(collections)} bộ sưu tập; đã có 0 tài liệu mẫu")


# ---------------------------------------------------------------------------
# Synthetic bulk data
# ---------------------------------------------------------------------------
SOURCE_WEIGHTS = [
    (SourceType.REPORT, 40),
    (SourceType.ARTICLE, 35),
    (SourceType.BOOK, 8),
    (SourceType.THESIS, 8),
    (SourceType.STANDARD, 3),
    (SourceType.BULLETIN, 5),
    (SourceType.MULTIMEDIA, 1),
]
ACCESS_WEIGHTS = [
    (AccessLevel.PUBLIC, 85),
    (AccessLevel.REGISTERED, 10),
    (AccessLevel.STAFF, 3),
    (AccessLevel.EMBARGOED, 2),
]


def generate(
    scale: int,
    seed: int = 42,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    *,
    full_text_chars: tuple[int, int] = (1000, 3000),
    write_files: bool = True,
    batch_size: int = 2000,
) -> dict:
    """Create `scale` published documents with creators, fields, collections and a full-text file.

    Bulk inserts skip the search signals (run `sti reindex`). With `write_files` each text is
    also stored as a plain-text file under its hash, so downloads work; benchmarks turn it off.
    """
    from sti.core.synthetic import SyntheticText

    text = SyntheticText(seed)
    rng = random.Random(seed)
    collections = list(_collections().values())
    field_pks = dict(FieldOfScience.objects.current().values_list("code", "pk"))
    codes = [code for code in field_pks if len(code) == 3] or list(field_pks)
    types, type_weights = zip(*SOURCE_WEIGHTS, strict=True)
    levels, level_weights = zip(*ACCESS_WEIGHTS, strict=True)
    people = [text.person_name()[0] for _ in range(max(50, scale // 20))]
    advance = progress("Tài liệu thư viện", scale) if progress else None
    now = timezone.now()
    today = timezone.localdate()
    created = 0
    for start in range(0, scale, batch_size):
        count = min(batch_size, scale - start)
        documents, extras = [], []
        for offset in range(count):
            access = rng.choices(levels, level_weights)[0]
            year = text.year()
            embargo = (
                today + dt.timedelta(days=rng.randint(30, 700))
                if access == AccessLevel.EMBARGOED
                else None
            )
            document = Document(
                title=text.title(),
                abstract=text.abstract(),
                keywords="; ".join(text.words(4)),
                publisher=text.organization_name(),
                year=year,
                source_type=rng.choices(types, type_weights)[0],
                language="vie" if rng.random() < 0.92 else "eng",
                access=access,
                embargo_until=embargo,
                status=DocumentStatus.PUBLISHED,
                digitization=DigitizationState.PUBLISHED,
                call_number=f"SYN-{seed}-{start + offset}",
                published_at=now,
                # As `Document.save` would: an embargoed record is datestamped when it lapses.
                oai_datestamp=_lapse(embargo)
                if embargo
                else now - dt.timedelta(seconds=scale - start - offset),
                oai_exposed=access in (AccessLevel.PUBLIC, AccessLevel.EMBARGOED),
            )
            documents.append(document)
            length = rng.randint(*full_text_chars)
            body = " ".join(text.abstract(60) for _ in range(max(1, length // 400)))[:length]
            extras.append(
                (
                    rng.sample(people, k=rng.randint(1, 3)),
                    rng.sample(codes, k=rng.randint(1, 2)),
                    rng.choice(collections),
                    body,
                )
            )
        with transaction.atomic():
            Document.objects.bulk_create(documents)
            Creator.objects.bulk_create(
                Creator(
                    document=document,
                    name=name,
                    role=CreatorRole.CREATOR,
                    position=position,
                    name_folded=_fold(name),
                )
                for document, (names, _c, _col, _b) in zip(documents, extras, strict=True)
                for position, name in enumerate(names)
            )
            Document.fields.through.objects.bulk_create(
                Document.fields.through(document_id=document.pk, fieldofscience_id=field_pks[code])
                for document, (_n, chosen, _col, _b) in zip(documents, extras, strict=True)
                for code in chosen
            )
            Document.collections.through.objects.bulk_create(
                Document.collections.through(document_id=document.pk, collection_id=collection.pk)
                for document, (_n, _c, collection, _b) in zip(documents, extras, strict=True)
            )
            file_rows = []
            for document, (_n, _c, _col, body) in zip(documents, extras, strict=True):
                data = body.encode("utf-8")
                sha = hashlib.sha256(data).hexdigest()
                if write_files:
                    _write_blob(sha, data)
                file_rows.append(
                    DocumentFile(
                        document=document,
                        original_name="toan-van.txt",
                        sha256=sha,
                        size=len(data),
                        mime_type="text/plain",
                        text=body,
                        text_method=TextMethod.PLAIN,
                        char_count=len(body),
                        page_count=max(1, len(body) // 2500),
                        quality="ok",
                    )
                )
            DocumentFile.objects.bulk_create(file_rows)
        created += count
        if advance:
            advance(count)
    return {"documents": created}


def _lapse(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _fold(name: str) -> str:
    from sti.core.text import fold_lower

    return fold_lower(name)[:200]


def _write_blob(sha: str, data: bytes) -> None:
    files.put(storage.blob_name(sha), data)
