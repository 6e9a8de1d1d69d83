"""Request bodies: JSON true/false where a number is declared is refused (pydantic's lax
mode would read it as 1/0), for every app's payload schema alike."""

import datetime

import pytest
from ninja import Field
from pydantic import ValidationError as PydanticValidationError

from sti.core.api import PayloadSchema


class Sample(PayloadSchema):
    price: int | None = Field(None, ge=0)
    share: float = 0
    flag: bool = False
    name: str = ""
    until: datetime.date | None = None


def test_booleans_are_not_numbers():
    assert Sample.model_validate({"price": 5, "flag": True}).price == 5
    for body in ({"price": False}, {"share": True}):
        with pytest.raises(PydanticValidationError):
            Sample.model_validate(body)


def test_numbers_are_not_dates():
    """An offer's expiry of `0` was stored as 1970-01-01 (API fuzzing)."""
    assert Sample.model_validate({"until": "2027-01-31"}).until == datetime.date(2027, 1, 31)
    for body in ({"until": 0}, {"until": 1.5}, {"until": True}):
        with pytest.raises(PydanticValidationError):
            Sample.model_validate(body)
