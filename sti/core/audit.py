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


def related_key(obj: models.Model) -> str:
    """How a related object is named in the trail: its code, else its slug, else its text."""
    for name in ("code", "slug"):
        value = getattr(obj, name, None)
        if value:
            return str(value)
    return str(obj)


def related_keys(objects) -> list[str]:
    """The sorted names of related objects (a many-to-many's value in a snapshot)."""
    return sorted(related_key(obj) for obj in objects)


def m2m_snapshot(instance: models.Model, names) -> dict[str, list[str]]:
    """{field: sorted names of the related objects} for many-to-many fields `names`."""
    if instance.pk is None:
        return {name: [] for name in names}
    # A fresh query: a prefetched list may predate a `.set()` in the same service.
    return {name: related_keys(getattr(instance, name).order_by()) for name in names}


def snapshot(instance: models.Model, m2m=()) -> dict:
    """The concrete field values of an instance, and the many-to-many fields named in `m2m`,
    for diffing before/after an edit."""
    data = {}
    for field in instance._meta.concrete_fields:
        data[field.name] = _plain(getattr(instance, field.attname))
    data.update(m2m_snapshot(instance, m2m))
    return data


def _m2m_names(instance: models.Model, keys) -> list[str]:
    m2m = {field.name for field in instance._meta.many_to_many}
    return [key for key in keys if key in m2m]


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


def record_create(actor, instance, note: str = "", *, m2m=()) -> AuditEntry:
    """`m2m`: the many-to-many fields to record with the new object (set them first)."""
    return record(actor, AuditAction.CREATE, instance, {"__new__": snapshot(instance, m2m)}, note)


def record_update(actor, instance, before: dict, note: str = "") -> AuditEntry | None:
    """Diff against `before` (a `snapshot`); many-to-many fields it holds are compared too,
    as {field: [names before, names after]}."""
    changes = diff(before, snapshot(instance, _m2m_names(instance, before)))
    if not changes:
        return None
    return record(actor, AuditAction.UPDATE, instance, changes, note)


def record_delete(actor, instance, note: str = "", *, m2m=()) -> AuditEntry:
    return record(actor, AuditAction.DELETE, instance, {"__old__": snapshot(instance, m2m)}, note)


def history_for(instance: models.Model):
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related("actor")
