"""Validators shared by model fields, forms, API payloads (through the services'
`full_clean`) and spreadsheet import previews, so that what a preview accepts is what a
save accepts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EARLIEST_YEAR = 1000


def latest_year() -> int:
    """Records may carry next year (a report printed in December for January)."""
    return timezone.localdate().year + 1


def validate_year(value) -> None:
    """A publication or reporting year: 1000 to next year."""
    if value is None:
        return
    if not (EARLIEST_YEAR <= int(value) <= latest_year()):
        raise ValidationError(
            _("Năm %(value)s không hợp lệ: năm phải từ %(first)s đến %(last)s."),
            code="year_out_of_range",
            params={"value": value, "first": EARLIEST_YEAR, "last": latest_year()},
        )


# The largest primary key any of our databases stores (a signed 64-bit integer).
MAX_PK = 2**63 - 1


def as_pk(value) -> int | None:
    """A query-string value as a primary key, or None when it cannot be one (not digits, or
    too large for the database: such a value would raise an overflow, not find nothing)."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_PK else None


def validate_task_date(value) -> None:
    """A planned or actual date of S&T work: 1900 to twenty years ahead."""
    if value is None:
        return
    if not (1900 <= value.year <= timezone.localdate().year + 20):
        raise ValidationError(
            _("Ngày %(value)s không hợp lệ: năm phải từ 1900 đến %(last)s."),
            code="date_out_of_range",
            params={"value": value.strftime("%d/%m/%Y"), "last": timezone.localdate().year + 20},
        )


def validate_not_negative(value) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("Số tiền không được âm."), code="negative")


# Django adds ProhibitNullCharactersValidator to every CharField of a form and a model (a NUL
# byte cannot be stored in PostgreSQL); its message is English and Django has no Vietnamese
# translation of it, so every form, API payload and import said "Null characters are not
# allowed." `CoreConfig.ready` gives the shared validator this message instead.
NUL_MESSAGE = gettext_lazy("Không được chứa ký tự rỗng (NUL, mã 0). Hãy xóa ký tự đó rồi gửi lại.")


def use_our_nul_message() -> None:
    ProhibitNullCharactersValidator.message = NUL_MESSAGE
