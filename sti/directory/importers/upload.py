"""Upload checks and the stash that keeps an upload between the preview and the confirmation."""

from __future__ import annotations

import json
import re
import time
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sti.core.text import normalize

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 5 MB zip can inflate to gigabytes; a real sheet of a few thousand rows stays far below.
MAX_UNCOMPRESSED_BYTES = 80 * 1024 * 1024
STASH_LIFETIME_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


# ---------------------------------------------------------------------------
# Upload checks and the stash between preview and confirmation
# ---------------------------------------------------------------------------
def check_upload(uploaded) -> None:
    """Refuse anything that is not a real .xlsx of reasonable size, whatever its name."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB."),
            params={
                "size": f"{uploaded.size / 1024 / 1024:.1f}",
                "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
        )
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    not_xlsx = ValidationError(
        _(
            "Tệp không phải bảng tính Excel .xlsx (tệp .xls cũ, CSV hay PDF cần lưu lại dưới dạng .xlsx)."
        )
    )
    if head != b"PK\x03\x04":
        raise not_xlsx
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise not_xlsx
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise ValidationError(_("Tệp giải nén quá lớn; hãy chia nhỏ tệp."))
    except zipfile.BadZipFile as error:
        raise not_xlsx from error
    finally:
        uploaded.seek(0)


def _stash_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(uploaded, *, user, kind: str) -> str:
    """Save the upload for the confirmation step; returns its token."""
    _purge_old_stashes()
    token = uuid.uuid4().hex
    directory = _stash_dir()
    with open(directory / f"{token}.xlsx", "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    meta = {
        "user_id": user.pk,
        "kind": kind,
        "filename": normalize(uploaded.name)[:200],
        "created": time.time(),
    }
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_stash(token: str, *, user, kind: str) -> tuple[Path, dict] | None:
    """The stashed file and its metadata, only for the user who uploaded it."""
    if not _TOKEN.match(token or ""):
        return None
    directory = _stash_dir()
    path, meta_path = directory / f"{token}.xlsx", directory / f"{token}.json"
    if not path.exists() or not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("user_id") != user.pk or meta.get("kind") != kind:
        return None
    if time.time() - meta.get("created", 0) > STASH_LIFETIME_SECONDS:
        discard_stash(token)
        return None
    return path, meta


def discard_stash(token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    for suffix in (".xlsx", ".json"):
        (_stash_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def _purge_old_stashes() -> None:
    cutoff = time.time() - STASH_LIFETIME_SECONDS
    for path in _stash_dir().glob("*.json"):
        if path.stat().st_mtime < cutoff:
            discard_stash(path.stem)
