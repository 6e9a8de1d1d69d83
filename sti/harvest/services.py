"""Verbs of the regional network: register a partner source (after discovering what it
offers), change its settings, and ask for a harvest. Each checks access, writes atomically
and is audited; the harvest itself runs on the worker (`tasks.py`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit, jobs
from sti.core.models import TrackedJob
from sti.harvest import client, tasks
from sti.harvest.access import can_manage_sources
from sti.harvest.jobs import job_kind
from sti.harvest.models import Source

SETTINGS = ("name", "metadata_prefix", "sets", "schedule_hours", "delay_seconds", "active")


def _require_editor(actor) -> None:
    if not can_manage_sources(actor):
        raise PermissionDenied


def discover_source(actor, base_url: str) -> client.Discovery:
    """Identify, ListMetadataFormats and ListSets of a partner, for the editor to choose."""
    _require_editor(actor)
    try:
        found = client.discover(base_url)
    except client.AddressRefused as error:
        raise ValidationError(str(error)) from error
    except client.HarvestError as error:
        raise ValidationError(
            _("Không đọc được kho OAI-PMH tại %(url)s: %(error)s")
            % {"url": base_url, "error": error}
        ) from error
    if not client.harvestable_formats(found.formats):
        raise ValidationError(_("Kho không cung cấp oai_dc hay MARCXML."))
    return found


def _check_choices(found: client.Discovery, data: dict) -> None:
    if data["metadata_prefix"] not in client.harvestable_formats(found.formats):
        raise ValidationError(_("Kho không cung cấp định dạng này."))
    offered = {item["spec"] for item in found.sets}
    unknown = [spec for spec in data.get("sets", []) if spec not in offered]
    if unknown:
        raise ValidationError(_("Kho không có tập: %(sets)s") % {"sets": ", ".join(unknown)})


def register_source(
    actor, base_url: str, data: dict, found: client.Discovery | None = None
) -> Source:
    """Save the source with the format, sets, schedule and politeness the editor chose among
    what discovery found (`found`, or discovered now)."""
    found = found or discover_source(actor, base_url)
    _require_editor(actor)
    _check_choices(found, data)
    with transaction.atomic():
        source = Source.objects.create(
            base_url=base_url,
            repository_name=found.repository_name[:300],
            admin_email=found.admin_email[:200],
            granularity=found.granularity or "YYYY-MM-DD",
            earliest_datestamp=found.earliest_datestamp[:30],
            deleted_record=found.deleted_record[:20],
            formats_offered=found.formats,
            sets_offered=found.sets,
            created_by=actor,
            **{name: data[name] for name in SETTINGS if name in data},
        )
        audit.record_create(actor, source)
    return source


def update_source(actor, source: Source, data: dict) -> Source:
    _require_editor(actor)
    if "metadata_prefix" in data and data["metadata_prefix"] not in client.harvestable_formats(
        source.formats_offered
    ):
        raise ValidationError(_("Kho không cung cấp định dạng này."))
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        before = audit.snapshot(source)
        changed_scope = any(
            name in data and data[name] != getattr(source, name)
            for name in ("metadata_prefix", "sets")
        )
        for name in SETTINGS:
            if name in data:
                setattr(source, name, data[name])
        if changed_scope:
            # Another format or other sets: the next harvest is a full one.
            source.harvested_until, source.resume_state = "", {}
        source.save()
        audit.record_update(actor, source, before)
    return source


def request_harvest(actor, source: Source, *, full: bool = False) -> TrackedJob | None:
    """Queue a harvest of the source (None when one is queued or running already)."""
    _require_editor(actor)
    return enqueue_harvest(source, full=full, requested_by=actor)


def enqueue_harvest(source: Source, *, full: bool = False, requested_by=None):
    kind = job_kind(source)
    if jobs.pending(kind):
        return None
    label = _("Thu thập %(name)s") % {"name": source.name}
    with transaction.atomic():
        job = jobs.create(kind, target=source, label=label, requested_by=requested_by, total=0)
        jobs.enqueue(job, tasks.harvest_source, job.pk, source.pk, full)
    return job


def harvest_due() -> int:
    """Periodic work: queue a harvest of every active source whose schedule says so."""
    queued = 0
    for source in Source.objects.due(timezone.now()):
        if enqueue_harvest(source) is not None:
            queued += 1
    return queued
