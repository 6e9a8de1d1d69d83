"""An article's lead image and video: checks by content, and privacy-friendly embeds.

- The lead image is opened with Pillow, whatever its name says: only JPEG, PNG and WebP of
  a sensible size are kept (a decompression bomb or a renamed file is refused).
- An uploaded video is typed by its bytes (MP4, WebM, Ogg); it is served by
  `views.article_video` with HTTP range requests, so players can seek.
- A video link becomes an embed only for YouTube (youtube-nocookie.com: no tracking cookie
  before play) and Vimeo (`dnt=1`); any other link is shown as a plain link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: far above any photo a page needs
MAX_IMAGE_MB = 10
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm", "video/ogg": "ogv"}


def check_image(upload) -> str:
    """The MIME type of an uploaded lead image, or a ValidationError saying what is wrong."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_IMAGE_MB * 1024 * 1024:
        raise ValidationError(_("Ảnh quá lớn: tối đa %(n)s MB.") % {"n": MAX_IMAGE_MB})
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("Ảnh có kích thước điểm ảnh quá lớn."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Tệp này không phải ảnh hợp lệ (JPEG, PNG, WebP).")) from error
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(_("Chỉ nhận ảnh JPEG, PNG hoặc WebP."))
    return IMAGE_FORMATS[kind]


def check_video(upload) -> str:
    """The MIME type of an uploaded video judged by its bytes, or a ValidationError."""
    limit = settings.STI_MAX_UPLOAD_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("Tệp video quá lớn: tối đa %(n)s MB.") % {"n": limit})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime == "video/quicktime" and b"ftypmp4" in head[:64]:
        mime = "video/mp4"
    if mime not in VIDEO_TYPES:
        raise ValidationError(_("Chỉ nhận video MP4, WebM hoặc Ogg."))
    return mime


def video_type(name: str) -> str:
    """The MIME type of a stored video, from the extension its check gave it."""
    extension = name.rsplit(".", 1)[-1].lower()
    return next((mime for mime, ext in VIDEO_TYPES.items() if ext == extension), "video/mp4")


@dataclass(frozen=True)
class VideoLink:
    kind: str  # "youtube", "vimeo" or "link"
    url: str  # the embed address, or the link itself
    provider: str = ""


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}


def video_link(url: str) -> VideoLink | None:
    """How to show a video link: a privacy-friendly embed, or a plain link."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.") if host.endswith("youtube-nocookie.com") else host
    video_id = ""
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        else:
            pieces = parts.path.strip("/").split("/")
            if len(pieces) == 2 and pieces[0] in ("embed", "shorts", "live"):
                video_id = pieces[1]
    if video_id and _YOUTUBE_ID.match(video_id):
        return VideoLink("youtube", f"https://www.youtube-nocookie.com/embed/{video_id}", "YouTube")
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        digits = [piece for piece in parts.path.split("/") if piece.isdigit()]
        if digits:
            return VideoLink("vimeo", f"https://player.vimeo.com/video/{digits[-1]}?dnt=1", "Vimeo")
    return VideoLink("link", url)
