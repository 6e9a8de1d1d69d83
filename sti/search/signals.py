"""Keep the index in step with the database: after each commit, enqueue an index task.

Each change also leaves a `PendingIndex` row in its own transaction, removed when the task has
indexed it; rows whose task was lost are enqueued again by the periodic sweep.

Saves and deletes of an indexed model, saves and deletes of the models it depends on, and
changes to its many-to-many fields (from either side) all end in `index_records(type, pks)`,
which re-reads the records and indexes or removes them.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from sti.search import tasks
from sti.search.models import PendingIndex

_connected: set[tuple[str, type]] = set()
_state = threading.local()


@contextmanager
def indexing_paused():
    """Skip after-commit indexing inside this block: for bulk loads that end in `sti reindex`
    (sample data, `sti generate`), where one task per saved row would only repeat the work."""
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def _enqueue(type: str, pks) -> None:
    pks = [str(pk) for pk in pks if pk is not None]
    if pks:
        tasks.index_records.enqueue(type, pks)


def _schedule(type: str, pks) -> None:
    if getattr(_state, "paused", False):
        return
    pks = [pk for pk in pks if pk is not None]
    if pks:
        # Written with the change itself: if the task below is lost, the sweep finds the row.
        PendingIndex.objects.bulk_create(
            [PendingIndex(type=type, pk_value=str(pk)[:64]) for pk in dict.fromkeys(pks)]
        )
        transaction.on_commit(partial(_enqueue, type, pks), robust=True)


def _on_change(sender, instance, type: str, pks_of, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures being loaded: `sti reindex` follows
        return
    _schedule(type, list(pks_of(instance)))


def connect(spec) -> None:
    own = partial(_on_change, type=spec.type, pks_of=lambda instance: [instance.pk])
    pairs = [(spec.model, own, post_delete)]
    for model, pks_of in spec.all_dependencies().items():
        # Dependants are looked up before the row goes: afterwards the link is gone.
        pairs.append((model, partial(_on_change, type=spec.type, pks_of=pks_of), pre_delete))
    for model, handler, delete_signal in pairs:
        key = (spec.type, model)
        if key in _connected:
            continue
        _connected.add(key)
        uid = f"sti-search-{spec.type}-{model._meta.label}"
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=uid + "-save")
        delete_signal.connect(handler, sender=model, weak=False, dispatch_uid=uid + "-delete")
    # Many-to-many changes (`.set()`, `.add()`, `.clear()`) send m2m_changed, not post_save.
    for m2m in spec.model._meta.many_to_many:
        through = m2m.remote_field.through
        handler = partial(
            _on_m2m_change, type=spec.type, indexed_model=spec.model, field_name=m2m.name
        )
        m2m_changed.connect(
            handler,
            sender=through,
            weak=False,
            dispatch_uid=f"sti-search-{spec.type}-{through._meta.label}",
        )


def _on_m2m_change(
    sender, instance, action, reverse, pk_set, type: str, indexed_model, field_name, **kwargs
) -> None:
    if isinstance(instance, indexed_model):
        if action in ("post_add", "post_remove", "post_clear"):
            _schedule(type, [instance.pk])
        return
    # Changed from the other side (field.organization_set.add(org)): the indexed records are
    # in pk_set, or, for a clear, the ones linked just before it.
    if action in ("post_add", "post_remove"):
        _schedule(type, list(pk_set or ()))
    elif action == "pre_clear":
        linked = indexed_model._default_manager.filter(**{field_name: instance}).values_list(
            "pk", flat=True
        )
        _schedule(type, list(linked))
