"""API tokens: created once and shown once; stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from sti.accounts.models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user, name: str) -> str:
    key = "sti_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[4:12])
    return key


def user_for_token(key: str):
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked=False).first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
