"""Fixtures of the news tests: articles and issues made through the services, real images,
videos and PDFs generated on the spot."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def png_bytes(size=(64, 40), color=(30, 120, 60)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def mp4_bytes(size: int = 300_000) -> bytes:
    """The head of an MP4 (ftyp box) followed by filler: typed as video/mp4 by its bytes."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + bytes(range(256)) * (size // 256)


def text_pdf(text: str) -> bytes:
    """A born-digital PDF with a Vietnamese text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


@pytest.fixture
def category(db):
    from sti.news.models import Category

    return Category.objects.create(name="Hoạt động KH&CN", slug="hoat-dong-khcn")


@pytest.fixture
def make_article(editor, org_a):
    """`make_article(title, status=…, publish_at=…, **data)`: written through the services
    by the editor for org_a, then moved to `status` through the workflow."""
    from sti.news import services
    from sti.news.choices import ArticleStatus as S

    def make(title="Bản tin thử nghiệm", *, status=S.DRAFT, publish_at=None, tags=(), **data):
        data.setdefault("organization", org_a)
        data.setdefault("body", "Nội dung bài tin về khoa học và công nghệ Cần Thơ.")
        data["title"] = title
        article = services.create_article(editor, data, tags=tags)
        if status == S.DRAFT:
            return article
        services.move_article(editor, article, S.REVIEW)
        if status == S.REVIEW:
            return article
        if status == S.SCHEDULED:
            moment = publish_at or timezone.now() + dt.timedelta(days=2)
            services.move_article(editor, article, S.SCHEDULED, publish_at=moment)
            return article
        services.move_article(editor, article, S.PUBLISHED)
        if publish_at is not None:  # a dated archive item: set the moment it went out
            type(article).objects.filter(pk=article.pk).update(publish_at=publish_at)
            article.refresh_from_db()
        if status == S.ARCHIVED:
            services.move_article(editor, article, S.ARCHIVED)
        return article

    return make


@pytest.fixture
def series(db):
    from sti.news.models import Series

    return Series.objects.get(slug="ban-tin-chon-loc")


@pytest.fixture
def make_issue(editor, series):
    from sti.news import services

    def make(number=1, *, pdf_text=None, items=(), year=2025, **data):
        payload = {
            "series": series,
            "number": number,
            "year": year,
            "issued": dt.date(year, 6, 15),
            **data,
        }
        if pdf_text is not None:
            payload["pdf"] = SimpleUploadedFile("so.pdf", text_pdf(pdf_text), "application/pdf")
        return services.create_issue(editor, payload, items=items)

    return make
