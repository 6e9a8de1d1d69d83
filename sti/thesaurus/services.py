"""Changes to the thesaurus: each checks the right to act, runs in one transaction, writes
its audit row and raises the revision, so every process's expander reloads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.models import FieldOfScience
from sti.thesaurus import access, expander
from sti.thesaurus.choices import DEFAULT_WEIGHTS, TermRelation
from sti.thesaurus.data import Row
from sti.thesaurus.models import Concept, Revision, Term, term_key

CONCEPT_FIELDS = ("label", "field", "note")
TERM_FIELDS = ("text", "relation", "weight", "source", "note")


def _check(actor) -> None:
    if not access.can_edit_thesaurus(actor):
        raise PermissionDenied(_("Chỉ biên tập viên được sửa từ điển đồng nghĩa."))


def bump_revision(data_version: str | None = None) -> None:
    """Raise the change counter (in the caller's transaction); expanders reload after it."""
    changes = {"number": F("number") + 1}
    if data_version is not None:
        changes["data_version"] = data_version
    if not Revision.objects.filter(pk=1).update(**changes):
        Revision.objects.create(pk=1, number=1, data_version=data_version or "")
    transaction.on_commit(expander.invalidate)


def _validate_concept(concept: Concept) -> None:
    concept.full_clean(exclude=["key", "folded"], validate_unique=False)
    clash = Concept.objects.filter(key=term_key(concept.label)).exclude(pk=concept.pk)
    if clash.exists():
        raise ValidationError({"label": _("Đã có khái niệm này.")})


def _validate_term(term: Term) -> None:
    if term.weight is None and term.relation in TermRelation.values:
        term.weight = DEFAULT_WEIGHTS[TermRelation(term.relation)]
    term.full_clean(exclude=["key", "folded", "concept"], validate_unique=False)
    key = term_key(term.text)
    if key == term.concept.key:
        raise ValidationError({"text": _("Thuật ngữ trùng với thuật ngữ ưu tiên.")})
    if Term.objects.filter(concept=term.concept, key=key).exclude(pk=term.pk).exists():
        raise ValidationError({"text": _("Khái niệm đã có thuật ngữ này.")})


def _assign(instance, data: dict, names) -> None:
    for name in names:
        if name in data:
            setattr(instance, name, data[name])


@transaction.atomic
def create_concept(actor, data: dict) -> Concept:
    _check(actor)
    concept = Concept()
    _assign(concept, data, CONCEPT_FIELDS)
    _validate_concept(concept)
    concept.save()
    audit.record_create(actor, concept)
    bump_revision()
    return concept


@transaction.atomic
def update_concept(actor, concept: Concept, data: dict) -> Concept:
    _check(actor)
    before = audit.snapshot(concept)
    _assign(concept, data, CONCEPT_FIELDS)
    _validate_concept(concept)
    concept.save()
    audit.record_update(actor, concept, before)
    bump_revision()
    return concept


@transaction.atomic
def delete_concept(actor, concept: Concept) -> None:
    _check(actor)
    for term in concept.terms.all():
        audit.record_delete(actor, term)
    audit.record_delete(actor, concept)
    concept.delete()
    bump_revision()


@transaction.atomic
def create_term(actor, concept: Concept, data: dict) -> Term:
    _check(actor)
    term = Term(concept=concept)
    _assign(term, data, TERM_FIELDS)
    _validate_term(term)
    term.save()
    audit.record_create(actor, term)
    bump_revision()
    return term


@transaction.atomic
def update_term(actor, term: Term, data: dict) -> Term:
    _check(actor)
    before = audit.snapshot(term)
    _assign(term, data, TERM_FIELDS)
    _validate_term(term)
    term.save()
    audit.record_update(actor, term, before)
    bump_revision()
    return term


@transaction.atomic
def delete_term(actor, term: Term) -> None:
    _check(actor)
    audit.record_delete(actor, term)
    term.delete()
    bump_revision()


def apply_rows(actor, rows: list[Row], *, data_version: str | None = None) -> dict:
    """Write imported rows (validated by the importer) in one transaction: a concept is
    matched by its preferred term, a term by its text within the concept; both are created or
    updated, each change audited. The importer and `sti load_thesaurus` share it."""
    if actor is not None:  # None: the `load_thesaurus` command, run by the operator
        _check(actor)
    fields = dict(FieldOfScience.objects.current().values_list("code", "pk"))
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        concepts = {c.key: c for c in Concept.objects.all()}
        terms = {(t.concept_id, t.key): t for t in Term.objects.all()}
        for row in rows:
            concept = concepts.get(term_key(row.concept))
            field_id = fields.get(row.field) if row.field else None
            if concept is None:
                concept = Concept(label=row.concept, field_id=field_id)
                concept.save()
                audit.record_create(actor, concept)
                concepts[concept.key] = concept
            elif field_id and concept.field_id != field_id:
                before = audit.snapshot(concept)
                concept.field_id = field_id
                concept.save()
                audit.record_update(actor, concept, before)
            values = {
                "text": row.term,
                "relation": row.relation,
                "weight": row.weight,
                "source": row.source,
                "note": row.note,
            }
            term = terms.get((concept.pk, term_key(row.term)))
            if term is None:
                term = Term(concept=concept, **values)
                term.save()
                audit.record_create(actor, term)
                terms[(concept.pk, term.key)] = term
                counts["created"] += 1
            elif any(getattr(term, name) != value for name, value in values.items()):
                before = audit.snapshot(term)
                _assign(term, values, TERM_FIELDS)
                term.save()
                audit.record_update(actor, term, before)
                counts["updated"] += 1
        bump_revision(data_version)
    return counts
