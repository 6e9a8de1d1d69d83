"""Checks on publications and IP filings, shared by the forms and the services."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core import uploads

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
ISSN_PATTERN = re.compile(r"^\d{4}-\d{3}[\dX]$")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi:",
)
MIN_PUBLICATION_YEAR = 1900
# A registration dossier holds reports, minutes, spreadsheets, scans and archives of data or
# source code (RegistrationFileKind.DATA); each is checked by content (sti.core.uploads).
REGISTRATION_FILE_TYPES = uploads.OFFICE | {uploads.ZIP}


def clean_doi(value: str) -> str:
    """A bare DOI `10.xxxx/...`; a doi.org link or `doi:` prefix is reduced to the DOI."""
    value = (value or "").strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    if value and not DOI_PATTERN.match(value):
        raise ValidationError(_("DOI phải có dạng 10.xxxx/…, ví dụ 10.22144/ctu.jvn.2023.001."))
    return value


def clean_issn(value: str) -> str:
    """ISSN `NNNN-NNNX` (journals) or a 10/13-digit ISBN (books, proceedings)."""
    value = (value or "").strip().upper()
    if not value or ISSN_PATTERN.match(value):
        return value
    digits = re.sub(r"[\s-]", "", value)
    if re.fullmatch(r"\d{9}[\dX]|\d{13}", digits):
        return value
    raise ValidationError(
        _("ISSN phải có dạng NNNN-NNNX (ví dụ 1859-2333), hoặc nhập ISBN 10/13 chữ số.")
    )


def max_publication_year() -> int:
    return timezone.localdate().year + 1
