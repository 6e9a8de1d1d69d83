"""The audit trail: services call `record_*` inside their transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch
from django.utils.text import capfirst
from django.utils.translation import gettext

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


EMPTY = (None, "", [], {}, ())


def _is_empty(value) -> bool:
    return any(value == empty and type(value) is type(empty) for empty in EMPTY)


def _same(old, new) -> bool:
    """Equal, or both empty (None and "" are the same absence of a value)."""
    return old == new or (_is_empty(old) and _is_empty(new))


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field that changed (empty to empty is no change)."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if not _same(before.get(name), value)
    }


def _meaningful(changes: dict) -> dict:
    """The changes without the [old, new] pairs that changed nothing (∅ → ∅, x → x)."""
    return {
        name: change
        for name, change in changes.items()
        if not (
            isinstance(change, list | tuple) and len(change) == 2 and _same(change[0], change[1])
        )
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
        changes=_meaningful(changes or {}),
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


# ---------------------------------------------------------------------------
# Reading the trail
# ---------------------------------------------------------------------------
@dataclass
class ChangeRow:
    """One changed field as people read it: its verbose name and the values as shown."""

    label: str
    before: str
    after: str


def type_label(object_type: str) -> str:
    """The translated name of a model label ("directory.organization" → "Tổ chức KH&CN")."""
    model = _model(object_type)
    return capfirst(str(model._meta.verbose_name)) if model else object_type


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_relation(field) -> bool:
    """A foreign key or one-to-one declared on the model (its value is the related pk)."""
    return field is not None and field.concrete and bool(field.many_to_one or field.one_to_one)


def _pairs(entry: AuditEntry):
    """(field name, old, new) of an entry; a created or deleted record's snapshot counts as
    new or old values."""
    for name, change in (entry.changes or {}).items():
        if name == "__new__" and isinstance(change, dict):
            yield from ((key, None, value) for key, value in change.items())
        elif name == "__old__" and isinstance(change, dict):
            yield from ((key, value, None) for key, value in change.items())
        elif isinstance(change, list | tuple) and len(change) == 2:
            yield name, change[0], change[1]
        else:
            yield name, None, change


_SKIPPED = {"id", "created_at", "updated_at", "search_vector"}


def readable(entries, *, instance: models.Model | None = None) -> list[AuditEntry]:
    """The entries with `rows` (ChangeRow: verbose field names, choice labels, related
    records by name, no empty-to-empty pair) and `record_url` (the record's page while it
    exists). Queries: one per model of the records on the page and one per related model
    named in their changes, whatever the number of entries. `instance`: the one record all
    the entries are about (its history on its own page), whose link needs no query."""
    entries = list(entries)
    related: dict[type, set] = defaultdict(set)
    pending = []
    for entry in entries:
        model = _model(entry.object_type)
        rows = []
        for name, old, new in _pairs(entry):
            if name in _SKIPPED or _same(old, new):
                continue
            field = _field(model, name)
            if _is_relation(field):
                for value in (old, new):
                    if isinstance(value, int | str) and not _is_empty(value):
                        related[field.related_model].add(value)
            rows.append((field, name, old, new))
        pending.append(rows)
    names = {}
    for model, keys in related.items():
        valid = []
        for key in keys:
            try:
                valid.append(model._meta.pk.to_python(key))
            except ValidationError:
                continue
        names[model] = {
            str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(valid).items()
        }
    for entry, rows in zip(entries, pending, strict=True):
        entry.rows = [
            ChangeRow(
                label=capfirst(str(getattr(field, "verbose_name", name))),
                before=_shown(field, old, names),
                after=_shown(field, new, names),
            )
            for field, name, old, new in rows
        ]
    if instance is not None and hasattr(instance, "get_absolute_url"):
        for entry in entries:
            entry.record_url = instance.get_absolute_url()
    else:
        _attach_urls(entries)
    return entries


def _shown(field, value, names: dict) -> str:
    if _is_empty(value):
        return ""
    if _is_relation(field):
        return names.get(field.related_model, {}).get(str(value), f"#{value}")
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(str(labels.get(str(item), item)) for item in value)
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def _attach_urls(entries: list[AuditEntry]) -> None:
    """`record_url` of each entry: the record's page while it still exists, else ""."""
    by_type: dict[str, set] = defaultdict(set)
    for entry in entries:
        entry.record_url = ""
        by_type[entry.object_type].add(entry.object_id)
    for object_type, ids in by_type.items():
        model = _model(object_type)
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        valid = []
        for raw in ids:
            try:
                valid.append(model._meta.pk.to_python(raw))
            except ValidationError:
                continue
        urls = {}
        for pk, obj in model._default_manager.in_bulk(valid).items():
            try:
                urls[str(pk)] = obj.get_absolute_url()
            except NoReverseMatch:
                continue
        for entry in entries:
            if entry.object_type == object_type:
                entry.record_url = urls.get(entry.object_id, "")
