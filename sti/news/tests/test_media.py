"""Lead images checked by content, videos served with HTTP range requests, video links
turned into privacy-friendly embeds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.news import media, services
from sti.news.choices import ArticleStatus as S
from sti.news.tests.conftest import mp4_bytes, png_bytes, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def video_article(editor, org_a):
    article = services.create_article(
        editor,
        {
            "title": "Phóng sự: máy gặt lúa tự hành",
            "body": "Nội dung.",
            "organization": org_a,
            "video_file": SimpleUploadedFile("may-gat.mp4", mp4_bytes(), "video/mp4"),
        },
    )
    services.move_article(editor, article, S.REVIEW)
    services.move_article(editor, article, S.PUBLISHED)
    return article


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_full_video_with_accept_ranges(client, video_article):
    response = client.get(f"/tin-tuc/bai/{video_article.pk}/video/")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == mp4_bytes()
    assert response["Content-Length"] == str(len(mp4_bytes()))


@pytest.mark.parametrize(
    "header,start,end",
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-", 1000, None),
        ("bytes=-500", None, None),
        ("bytes=100-10000000", 100, None),
    ],
)
def test_range_requests_answer_206(client, video_article, header, start, end):
    data = mp4_bytes()
    size = len(data)
    if start is None:
        start, end = size - 500, size - 1
    end = size - 1 if end is None else end
    response = client.get(f"/tin-tuc/bai/{video_article.pk}/video/", HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == data[start : end + 1]


def test_range_past_the_end_is_416(client, video_article):
    size = len(mp4_bytes())
    response = client.get(f"/tin-tuc/bai/{video_article.pk}/video/", HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_unusable_ranges_get_the_whole_file(client, video_article):
    for header in ("bytes=0-10,20-30", "items=0-10", "bytes=50-10"):
        response = client.get(f"/tin-tuc/bai/{video_article.pk}/video/", HTTP_RANGE=header)
        assert response.status_code == 200, header


def test_head_and_if_range_and_etag(client, video_article):
    url = f"/tin-tuc/bai/{video_article.pk}/video/"
    head = client.head(url, HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10" and head.content == b""
    etag = head["ETag"]
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"').status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.post(url).status_code == 405


def test_draft_media_is_not_served_to_outsiders(client_for, editor, org_a, member_a, reporter_a):
    article = services.create_article(
        editor,
        {
            "title": "Bản nháp có ảnh",
            "body": "B",
            "organization": org_a,
            "lead_image": png_upload(),
            "lead_image_alt": "Ruộng lúa ở Cờ Đỏ",
        },
    )
    url = f"/tin-tuc/bai/{article.pk}/anh/"
    for user in (None, member_a):
        assert client_for(user).get(url).status_code == 404
    response = client_for(reporter_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert body(response) == png_bytes()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("anh.png", b"%PDF-1.4 not an image", "không phải ảnh hợp lệ"),
        ("anh.jpg", b"MZ\x90\x00 executable", "không phải ảnh hợp lệ"),
    ],
)
def test_bad_images_are_refused_by_content(editor, org_a, name, content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.create_article(
            editor,
            {
                "title": "Ảnh giả",
                "body": "B",
                "organization": org_a,
                "lead_image": SimpleUploadedFile(name, content, "image/png"),
                "lead_image_alt": "Mô tả",
            },
        )
    assert message in " ".join(error.value.message_dict["lead_image"])


def test_gif_is_refused_and_video_checked_by_bytes(editor, org_a):
    from io import BytesIO

    from django.core.exceptions import ValidationError
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ValidationError):
        media.check_image(SimpleUploadedFile("a.gif", buffer.getvalue()))
    with pytest.raises(ValidationError) as error:
        media.check_video(SimpleUploadedFile("phim.mp4", png_bytes()))
    assert "MP4" in error.value.messages[0]
    assert media.check_video(SimpleUploadedFile("phim.mp4", mp4_bytes())) == "video/mp4"


@pytest.mark.parametrize(
    "url,kind,embed",
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ?t=42",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://www.youtube.com/watch?v=<script>",
            "link",
            "https://www.youtube.com/watch?v=<script>",
        ),
        ("https://thvl.vn/video/123", "link", "https://thvl.vn/video/123"),
    ],
)
def test_video_links(url, kind, embed):
    link = media.video_link(url)
    assert (link.kind, link.url) == (kind, embed)


def test_embed_on_the_page(client, make_article):
    article = make_article(
        "Video: nhà kính thông minh",
        status=S.PUBLISHED,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "youtube.com/watch" not in html
