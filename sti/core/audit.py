"""The audit trail: services call `record_*` inside their transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile

from sti.core.choices import AuditAction
from sti.core.models import AuditEntry


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of an instance, for diffing before/after an edit."""
    data = {}
    for field in instance._meta.concrete_fields:
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field that changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    actor, action: str, instance: models.Model, changes: dict | None = None, note: str = ""
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
        note=note,
    )


def record_create(actor, instance, note: str = "") -> AuditEntry:
    return record(actor, AuditAction.CREATE, instance, {"__new__": snapshot(instance)}, note)


def record_update(actor, instance, before: dict, note: str = "") -> AuditEntry | None:
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return record(actor, AuditAction.UPDATE, instance, changes, note)


def record_delete(actor, instance, note: str = "") -> AuditEntry:
    return record(actor, AuditAction.DELETE, instance, {"__old__": snapshot(instance)}, note)


def history_for(instance: models.Model):
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related("actor")
