"""Workflows of the directory: create, edit, delete, merge and dissolve organizations;
create, edit and delete researchers.

Every verb runs in one transaction, stores text in NFC, validates the model (choices,
constraints) and writes an audit row. Search indexing follows the commit through the
search registry's signals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from sti.core import audit
from sti.core.choices import AuditAction
from sti.core.models import FieldOfScience
from sti.core.text import normalize
from sti.directory.choices import OrganizationStatus
from sti.directory.lifecycle import ORGANIZATION
from sti.directory.models import Organization, Researcher
from sti.search import tasks as search_tasks
from sti.search.signals import indexing_paused

__all__ = [
    "ORGANIZATION_FIELDS",
    "RESEARCHER_FIELDS",
    "create_organization",
    "update_organization",
    "delete_organization",
    "dissolve_organization",
    "merge_organization",
    "reactivate_organization",
    "create_researcher",
    "update_researcher",
    "delete_researcher",
    "PlannedRecord",
    "apply_import",
]

# What editors, the API and imports may set. Status and `merged_into` change only through
# the merge/dissolve verbs; folded keys and timestamps are computed.
ORGANIZATION_FIELDS = (
    "name",
    "abbreviation",
    "name_en",
    "identifier",
    "kind",
    "sector",
    "address",
    "admin_unit",
    "phone",
    "email",
    "website",
    "founding_decision_number",
    "founding_decision_date",
    "founding_authority",
    "st_certificate_number",
    "description",
)
RESEARCHER_FIELDS = (
    "full_name",
    "gender",
    "birth_year",
    "ethnicity",
    "degree",
    "academic_title",
    "position",
    "organization",
    "expertise",
    "email",
    "phone",
    "orcid",
    "bio",
    "is_public",
    "is_expert",
    "user",
)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _normalized(value):
    if isinstance(value, str):
        return normalize(value)
    return value


def _assign(instance: models.Model, data: dict, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)} on {instance._meta.label}")
    for name, value in data.items():
        if value is None and isinstance(
            instance._meta.get_field(name), (models.CharField, models.TextField)
        ):
            value = ""
        setattr(instance, name, _normalized(value))


def _state(instance, fields: Iterable[FieldOfScience] | None = None) -> dict:
    """Snapshot plus the S&T fields (a many-to-many the concrete snapshot does not hold);
    `fields`, when the caller just set them, saves a query."""
    state = audit.snapshot(instance)
    state.pop("name_folded", None)
    state.pop("expertise_folded", None)
    state.pop("updated_at", None)
    state["fields"] = (
        audit.related_keys(fields)
        if fields is not None
        else audit.m2m_snapshot(instance, ["fields"])["fields"]
    )
    return state


def _stored_state(instance) -> dict:
    """The state as stored, for the audit diff: a ModelForm may already have changed the
    instance in memory while validating."""
    stored = type(instance)._base_manager.get(pk=instance.pk)
    return _state(stored)


def _save(instance: models.Model, fields: Iterable[FieldOfScience] | None) -> None:
    instance.refresh_folded()
    # Field rules (choices, lengths, e-mail) are checked here; constraints (unique identifier,
    # birth-year range) are enforced by the database, and the forms report them to people
    # before a service runs, so they are not queried twice per record.
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save()
    if fields is not None:
        instance.fields.set(fields)


def _record_update(actor, instance, before: dict, note: str, action=AuditAction.UPDATE):
    changes = audit.diff(before, _state(instance))
    if changes:
        audit.record(actor, action, instance, changes, note)
    return changes


# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------
@transaction.atomic
def create_organization(
    *, actor, data: dict, fields: Iterable[FieldOfScience] | None = None, note: str = ""
) -> Organization:
    organization = Organization()
    _assign(organization, data, ORGANIZATION_FIELDS)
    fields = list(fields) if fields is not None else None
    _save(organization, fields)
    audit.record(
        actor, AuditAction.CREATE, organization, {"__new__": _state(organization, fields)}, note
    )
    return organization


@transaction.atomic
def update_organization(
    organization: Organization,
    *,
    actor,
    data: dict,
    fields: Iterable[FieldOfScience] | None = None,
    note: str = "",
) -> Organization:
    before = _stored_state(organization)
    _assign(organization, data, ORGANIZATION_FIELDS)
    _save(organization, fields)
    _record_update(actor, organization, before, note)
    return organization


@transaction.atomic
def delete_organization(organization: Organization, *, actor, note: str = "") -> None:
    """Delete a record entered by mistake. A real organization that closes is dissolved or
    merged instead, so that its history (tasks, reports) keeps pointing at it.

    Raises `django.db.models.ProtectedError` when other records still depend on it.
    """
    audit.record(actor, AuditAction.DELETE, organization, {"__old__": _state(organization)}, note)
    organization.delete()


@transaction.atomic
def dissolve_organization(organization: Organization, *, actor, note: str = "") -> Organization:
    """A move of `lifecycle.ORGANIZATION` (which locks the row, checks the role, audits)."""
    return ORGANIZATION.move(actor, organization, OrganizationStatus.DISSOLVED, note=note)


@transaction.atomic
def merge_organization(
    organization: Organization,
    *,
    into: Organization,
    actor,
    move_researchers: bool = True,
    note: str = "",
) -> Organization:
    """Record that `organization` was merged into `into`; its researchers move there too."""
    merged_note = f"→ {into.name}. {note}".strip()
    ORGANIZATION.move(actor, organization, OrganizationStatus.MERGED, note=merged_note, into=into)
    if move_researchers:
        moved_note = str(_("Chuyển theo tổ chức sáp nhập: %(old)s → %(new)s")) % {
            "old": organization.name,
            "new": into.name,
        }
        for person in organization.researchers.all():
            update_researcher(person, actor=actor, data={"organization": into}, note=moved_note)
    # Organizations previously merged into this one now point at the surviving one.
    for earlier in organization.merged_from.exclude(pk=organization.pk):
        earlier_before = _state(earlier)
        earlier.merged_into = into
        earlier.save(update_fields=["merged_into", "updated_at"])
        _record_update(actor, earlier, earlier_before, note, AuditAction.TRANSITION)
    return organization


@transaction.atomic
def reactivate_organization(organization: Organization, *, actor, note: str = "") -> Organization:
    """Undo a dissolution or merger recorded by mistake."""
    return ORGANIZATION.move(actor, organization, OrganizationStatus.ACTIVE, note=note)


# ---------------------------------------------------------------------------
# Researchers
# ---------------------------------------------------------------------------
@transaction.atomic
def create_researcher(
    *, actor, data: dict, fields: Iterable[FieldOfScience] | None = None, note: str = ""
) -> Researcher:
    person = Researcher()
    _assign(person, data, RESEARCHER_FIELDS)
    fields = list(fields) if fields is not None else None
    _save(person, fields)
    audit.record(actor, AuditAction.CREATE, person, {"__new__": _state(person, fields)}, note)
    return person


@transaction.atomic
def update_researcher(
    person: Researcher,
    *,
    actor,
    data: dict,
    fields: Iterable[FieldOfScience] | None = None,
    note: str = "",
) -> Researcher:
    before = _stored_state(person)
    _assign(person, data, RESEARCHER_FIELDS)
    _save(person, fields)
    _record_update(actor, person, before, note)
    return person


@transaction.atomic
def delete_researcher(person: Researcher, *, actor, note: str = "") -> None:
    audit.record(actor, AuditAction.DELETE, person, {"__old__": _state(person)}, note)
    person.delete()


# ---------------------------------------------------------------------------
# Import from Excel: every planned row is written, or none
# ---------------------------------------------------------------------------
@dataclass
class PlannedRecord:
    """One validated spreadsheet row: create a record, or update `instance`."""

    row: int
    data: dict
    fields: list[FieldOfScience] = field(default_factory=list)
    instance: models.Model | None = None

    @property
    def action(self) -> str:
        return "update" if self.instance is not None else "create"


@transaction.atomic
def apply_import(kind: str, records: list[PlannedRecord], *, actor, filename: str = "") -> dict:
    """Write all records of one import in a single transaction; returns counts.

    Per-row indexing is paused (it would queue two tasks per row); the imported records, and
    the researchers of imported organizations (their documents name the organization), are
    queued for indexing in a few batches after the commit.
    """
    create, update = {
        "organization": (create_organization, update_organization),
        "researcher": (create_researcher, update_researcher),
    }[kind]
    counts = {"created": 0, "updated": 0}
    saved = []
    with indexing_paused():
        for record in records:
            note = str(_("Nhập từ tệp Excel %(file)s, dòng %(row)s")) % {
                "file": filename,
                "row": record.row,
            }
            if record.instance is None:
                instance = create(actor=actor, data=record.data, fields=record.fields, note=note)
                counts["created"] += 1
            else:
                instance = update(
                    record.instance, actor=actor, data=record.data, fields=record.fields, note=note
                )
                counts["updated"] += 1
            saved.append(instance.pk)
    batches = {kind: saved}
    if kind == "organization":
        updated = [record.instance.pk for record in records if record.instance is not None]
        batches["researcher"] = list(
            Researcher.objects.filter(organization_id__in=updated).values_list("pk", flat=True)
        )
    transaction.on_commit(partial(_queue_indexing, batches), robust=True)
    return counts


INDEX_BATCH = 500


def _queue_indexing(batches: dict[str, list]) -> None:
    for type, pks in batches.items():
        for start in range(0, len(pks), INDEX_BATCH):
            search_tasks.index_records.enqueue(
                type, [str(pk) for pk in pks[start : start + INDEX_BATCH]]
            )
