"""Keep the index in step with the database: after each commit, enqueue an index task."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_connected: set[tuple[str, type]] = set()


def _enqueue(type: str, pks) -> None:
    from sti.search.tasks import index_records

    pks = [str(pk) for pk in pks if pk is not None]
    if pks:
        index_records.enqueue(type, pks)


def _on_change(sender, instance, type: str, pks_of, **kwargs) -> None:
    pks = list(pks_of(instance))
    transaction.on_commit(partial(_enqueue, type, pks), robust=True)


def connect(spec) -> None:
    pairs = [(spec.model, lambda instance: [instance.pk])]
    pairs += list(spec.dependencies.items())
    for model, pks_of in pairs:
        key = (spec.type, model)
        if key in _connected:
            continue
        _connected.add(key)
        handler = partial(_on_change, type=spec.type, pks_of=pks_of)
        uid = f"sti-search-{spec.type}-{model._meta.label}"
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=uid + "-delete")
    # Many-to-many changes (`.set()`, `.add()`) send m2m_changed, not post_save.
    for m2m in spec.model._meta.many_to_many:
        through = m2m.remote_field.through
        handler = partial(_on_m2m_change, type=spec.type, model=spec.model)
        m2m_changed.connect(
            handler, sender=through, weak=False, dispatch_uid=f"sti-search-{spec.type}-{through._meta.label}"
        )


def _on_m2m_change(sender, instance, action, reverse, pk_set, type: str, model, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = [instance.pk] if isinstance(instance, model) else list(pk_set or ())
    transaction.on_commit(partial(_enqueue, type, pks), robust=True)
