"""Demo data: a year of Cần Thơ S&T news and three periodicals with issues (`sti loaddemo`).

Everything goes through the services, as a user would: reporters of the directory sample
write their organizations' articles, the demo editor reviews, schedules and publishes them,
assembles a "bản tin chọn lọc" from the library and task samples and publishes issues into
the library. Some articles stay in draft, in review or scheduled, so the search-access test
over the registry (`sti/portal/tests/test_search_access.py`) has records some personas may
not see. Lead images are drawn with Pillow (no external files). Idempotent.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.news import jobs, links, services
from sti.news.choices import ArticleStatus as S
from sti.news.models import Article, Category, Issue, Series

DATA_FILE = Path(__file__).resolve().parent / "data" / "sample.json"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def sample_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def lead_image(title: str, color: str) -> SimpleUploadedFile:
    """A 1200×780 JPEG: a coloured band with the article's title, like a press-kit card."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1200, 780), color)
    draw = ImageDraw.Draw(image)
    for y in range(520, 780):  # a darker band at the bottom for the title
        shade = int(90 * (y - 520) / 260)
        draw.line([(0, y), (1200, y)], fill=_darker(color, shade))
    try:
        font = ImageFont.truetype(FONT, 46)
        small = ImageFont.truetype(FONT, 26)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((60, 60), "KH&CN CẦN THƠ", font=small, fill="white")
    y = 560
    for line in textwrap.wrap(title, 42)[:3]:
        draw.text((60, y), line, font=font, fill="white")
        y += 58
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("anh-dai-dien.jpg", buffer.getvalue(), content_type="image/jpeg")


def _darker(color: str, amount: int) -> tuple[int, int, int]:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return (max(0, red - amount), max(0, green - amount), max(0, blue - amount))


def _writer(organization, editor):
    """The organization's reporter from the directory sample, else the editor."""
    from sti.accounts.models import Membership

    membership = (
        Membership.objects.filter(organization=organization, role="reporter")
        .select_related("user")
        .first()
    )
    return membership.user if membership else editor


def _categories(data) -> dict[str, Category]:
    found = {}
    for order, (slug, name, description) in enumerate(data["categories"]):
        found[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    return found


def _article(item, categories, fields, editor, now) -> Article | None:
    organization = Organization.objects.filter(name=item["organization"]).first()
    if organization is None:
        return None
    writer = _writer(organization, editor)
    data = {
        "title": item["title"],
        "summary": item["summary"],
        "body": item["body"],
        "organization": organization,
        "category": categories[item["category"]],
        "video_url": item.get("video_url", ""),
    }
    if item.get("image"):
        data["lead_image"] = lead_image(item["title"], item["image"])
        data["lead_image_alt"] = f"Ảnh minh họa có dòng chữ: {item['title']}"
    article = services.create_article(
        writer,
        data,
        tags=item["tags"],
        fields=[fields[code] for code in item["fields"] if code in fields],
    )
    status = item.get("status", S.PUBLISHED)
    if status == S.DRAFT:
        return article
    services.move_article(writer, article, S.REVIEW)
    if status == S.REVIEW:
        return article
    if status == S.SCHEDULED:
        moment = (now + dt.timedelta(days=-item["days_ago"])).replace(hour=8, minute=0)
        services.move_article(editor, article, S.SCHEDULED, publish_at=moment)
        return article
    # Published in the past: the moment is set before the move, which keeps a past moment.
    moment = (now - dt.timedelta(days=item["days_ago"])).replace(hour=9, minute=30)
    Article.objects.filter(pk=article.pk).update(publish_at=moment)
    services.move_article(editor, article, S.PUBLISHED, note="Dữ liệu mẫu")
    return article


def _relate(editor) -> None:
    """Link a few articles to the library and task samples (records the public may see)."""
    from sti.library.models import Document
    from sti.projects.models import Task

    pairs = [
        ("cảnh báo xâm nhập mặn", Task, "mặn"),
        ("OM 429", Document, "lúa"),
        ("tôm càng xanh", Document, "thủy sản"),
        ("dữ liệu gen", Task, "lúa"),
    ]
    for words, model, topic in pairs:
        article = Article.objects.filter(title__icontains=words).first()
        record = model.objects.visible_to(None).filter(title__icontains=topic).first()
        if article is None or record is None:
            continue
        key = "task" if model is Task else "document"
        services.update_article(
            editor, article, {}, related=[links.parse_ref(f"{key}:{record.pk}")]
        )


RURAL_ITEMS = [
    [
        (
            "Kỹ thuật",
            "Tưới ướt khô xen kẽ cho lúa",
            "Giữ mực nước 5 cm sau sạ 10 ngày; rút cạn khi nước xuống 15 cm dưới mặt ruộng rồi cho nước vào lại. Tiết kiệm 30% nước, giảm phát thải khí mê-tan.",
        ),
        (
            "Kỹ thuật",
            "Phòng bệnh đạo ôn bằng chế phẩm Trichoderma",
            "Phun chế phẩm lúc lúa 20 và 40 ngày sau sạ, kết hợp bón phân cân đối theo bảng so màu lá.",
        ),
        (
            "Thị trường",
            "Giá lúa thơm tháng này",
            "Lúa thơm ST25 tại ruộng dao động 8.200–8.600 đồng/kg; lúa IR 50404 khoảng 6.300 đồng/kg.",
        ),
    ],
    [
        (
            "Kỹ thuật",
            "Nuôi lươn không bùn trong bể lót bạt",
            "Mật độ 200 con/m², thay nước hai ngày một lần; sau 6 tháng lươn đạt 4–5 con/kg.",
        ),
        (
            "Mô hình hay",
            "Vườn bưởi hữu cơ ở Phong Điền",
            "Hộ ông Sáu Lợi chuyển sang bón phân hữu cơ vi sinh, năng suất ổn định, giá bán cao hơn 20%.",
        ),
        (
            "Thời tiết",
            "Lịch xuống giống vụ Đông Xuân",
            "Các huyện ven sông Hậu xuống giống tập trung từ 15/11 đến 5/12 để né rầy và mặn cuối vụ.",
        ),
    ],
]

REVIEW_ITEMS = [
    (
        "Tổng quan",
        "Xu hướng nông nghiệp tuần hoàn ở Đồng bằng sông Cửu Long",
        "Nông nghiệp tuần hoàn tận dụng phụ phẩm rơm rạ, vỏ trấu, bùn ao làm đầu vào cho sản xuất khác, giảm chi phí và phát thải.",
    ),
    (
        "Kinh nghiệm quốc tế",
        "Mô hình của Thái Lan và Hà Lan",
        "Các nước chú trọng liên kết chuỗi, hỗ trợ tín dụng xanh và chuẩn hóa chứng nhận sản phẩm tuần hoàn.",
    ),
    (
        "Khuyến nghị",
        "Giải pháp cho Cần Thơ",
        "Ưu tiên nhiệm vụ KH&CN về xử lý phụ phẩm, hỗ trợ hợp tác xã đầu tư thiết bị và xây dựng tiêu chuẩn cơ sở.",
    ),
]


def _issue(editor, slug, number, year, issued, title, summary, items=None, refs=None):
    series = Series.objects.get(slug=slug)
    existing = Issue.objects.filter(series=series, year=year, number=number).first()
    if existing is not None:
        return existing
    data = {
        "series": series,
        "number": number,
        "year": year,
        "issued": issued,
        "title": title,
        "summary": summary,
    }
    if refs:
        with transaction.atomic():
            issue = services.assemble_issue(editor, data, refs)
    else:
        rows = [{"section": s, "title": t, "text": x} for s, t, x in items]
        issue = services.create_issue(editor, data, items=rows)
        services.request_build(editor, issue)
    jobs.build_issue(issue.pk)  # now, so the demo shows the PDF before any worker runs
    issue.refresh_from_db()
    return issue


def _periodicals(editor, log) -> None:
    today = timezone.localdate()
    year = today.year
    docs = [f"document:{pk}" for pk in _recent("document", 4)]
    tasks = [f"task:{pk}" for pk in _recent("task", 3)]
    made = []
    if docs or tasks:
        made.append(
            _issue(
                editor,
                "ban-tin-chon-loc",
                1,
                year,
                today - dt.timedelta(days=60),
                "Nông nghiệp thích ứng biến đổi khí hậu",
                "Tuyển chọn tài liệu và nhiệm vụ KH&CN về lúa chịu mặn, thủy sản và nước.",
                refs=docs[:2] + tasks[:2],
            )
        )
        made.append(
            _issue(
                editor,
                "ban-tin-chon-loc",
                2,
                year,
                today - dt.timedelta(days=10),
                "Chuyển đổi số và đổi mới sáng tạo",
                "Kết quả nghiên cứu và tài liệu mới của quý.",
                refs=docs[2:] + tasks[2:],
            )
        )
    for number, rows in enumerate(RURAL_ITEMS, start=1):
        made.append(
            _issue(
                editor,
                "ban-tin-nong-nghiep-nong-thon",
                number,
                year,
                today - dt.timedelta(days=90 - 45 * number),
                "",
                "Thông tin kỹ thuật và thị trường cho bà con nông dân.",
                items=rows,
            )
        )
    made.append(
        _issue(
            editor,
            "tong-luan",
            1,
            year,
            today - dt.timedelta(days=30),
            "Nông nghiệp tuần hoàn",
            "Tổng luận về nông nghiệp tuần hoàn ở ĐBSCL.",
            items=REVIEW_ITEMS,
        )
    )
    for issue in made[:-1]:  # the last one (tổng luận) stays a draft for the demo
        if issue.pdf:
            services.publish_issue(editor, issue)
    log(f"  ấn phẩm định kỳ: thêm {len(made)} số")


def _recent(key, count) -> list[int]:
    from sti.core import registries

    linkable = registries.linkable(key)
    return [record.pk for record in links.recent(None, linkable, count)]


def load_sample(log: Callable[[str], None] = print) -> None:
    from sti.accounts.models import User

    data = sample_data()
    categories = _categories(data)
    if Article.objects.filter(title=data["articles"][0]["title"]).exists():
        log(f"  tin tức: thêm 0 bài tin; đã có {Article.objects.count()} bài tin")
        return
    editor = (
        User.objects.filter(role="editor", is_active=True).first()
        or User.objects.filter(is_superuser=True).first()
    )
    if editor is None:
        log("  tin tức: bỏ qua (chưa có tài khoản biên tập)")
        return
    fields = {field.code: field for field in FieldOfScience.objects.current()}
    now = timezone.localtime()
    count = 0
    for item in data["articles"]:
        if _article(item, categories, fields, editor, now) is not None:
            count += 1
    _relate(editor)
    log(f"  tin tức: thêm {count} bài tin trong {len(categories)} chuyên mục; đã có 0 bài tin")
    _periodicals(editor, log)
