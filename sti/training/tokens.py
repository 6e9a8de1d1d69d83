"""Signed links for a registrant without an account: the link in their confirmation e-mail
cancels their registration. The signature binds the registration and its e-mail address."""

from __future__ import annotations

from django.core import signing

SALT = "sti.training.cancel-registration"


def cancel_token(registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=SALT)


def read_cancel_token(token: str) -> tuple[int, str] | None:
    """(registration id, e-mail) from a valid token, else None (tampered or malformed)."""
    try:
        data = signing.loads(token, salt=SALT)
        return int(data["r"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
