"""Which models the search index holds, declared by each app in its `search.py`.

    register(IndexSpec(
        type="organization", label=_("Tổ chức"), model=Organization,
        queryset=lambda: Organization.objects.select_related(...),
        to_document=organization_document,
    ))

`to_document(instance)` returns a `SearchDocument`, or None when the instance must not be
in the index (a draft, a deleted record). Who may find the document is not up to
`to_document`: its principals always come from the model's access rule (`sti.core.access`),
the same rule `Model.objects.visible_to(user)` filters with, so a model without one cannot
be registered. Saves and deletes of `model` (and of any model in `dependencies`, mapped back
through `affected`) are indexed after the transaction commits: `SearchConfig.ready()` imports
every app's `search.py` and then connects the signals of every registered spec, so
registering has no side effect at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

from sti.core.access import MEMBER, REPORTER, AccessRule, rule_for
from sti.search.base import SearchDocument

logger = logging.getLogger(__name__)

# A principal no user holds: the record is found only by unrestricted (editor) searches.
STAFF_ONLY = "staff"
# The model fields that say when a record was listed, first non-empty wins (a draft has no
# publication date yet: its creation counts until it is published).
LISTED_FIELDS = ("published_at", "created_at")
# The facet naming the organization a record belongs to (from its access rule's member or
# reporter grant), so that any record can be followed by organization.
ORGANIZATION_TAG = "organization"


def _owner_fields(rule: AccessRule) -> list[str]:
    return list(
        dict.fromkeys(g.field for g in rule.grants if g.audience in (MEMBER, REPORTER) and g.field)
    )


@dataclass
class IndexSpec:
    type: str
    label: str
    model: type[Model]
    queryset: Callable[[], QuerySet]
    to_document: Callable[[Model], SearchDocument | None]
    # Other models whose changes alter this type's documents, with a function returning the
    # primary keys of the affected records.
    dependencies: dict[type[Model], Callable[[Model], Iterable]] = field(default_factory=dict)
    icon: str = "bi-file-text"
    # `describe(hits, user, wanted)` fills `hit.details` for a page of this type's hits, in a
    # constant number of queries, reading only what `visible_to(user)` allows; `wanted` are
    # the folded query terms to highlight.
    describe: Callable[[list, object, set[str]], None] | None = None
    # `texts(pks)` returns {pk: body} as `to_document` builds it, for snippets of matches
    # past the excerpt the index stores; by default the documents are rebuilt
    # (`queryset`, so its prefetches: a constant number of queries).
    texts: Callable[[list[str]], dict[str, str]] | None = None
    # False where the owner of a record is confidential (a technology offer): no
    # organization tag is derived from the access rule, so no facet or filter names it.
    owner_tag: bool = True

    @property
    def access_rule(self) -> AccessRule:
        return rule_for(self.model)

    def indexed_queryset(self) -> QuerySet:
        """The records to index, with the access rule's conditions evaluated per row."""
        return self.access_rule.annotate(self.queryset())

    def full_texts(self, pks: list[str]) -> dict[str, str]:
        if self.texts is not None:
            return self.texts(pks)
        out = {}
        for obj in self.queryset().filter(pk__in=pks):
            document = self.to_document(obj)
            if document is not None:
                out[str(obj.pk)] = document.body
        return out

    def all_dependencies(self) -> dict[type[Model], Callable[[Model], Iterable]]:
        """`dependencies` with those of the tags other apps add (`register_tags`)."""
        extra = {
            model: pks_of
            for _tags, deps in _tag_sources.get(self.type, ())
            for model, pks_of in deps.items()
        }
        return {**self.dependencies, **extra}

    def add_tags(self, documents: Sequence[SearchDocument]) -> None:
        """The tags other apps add to this type's documents (`register_tags`): one call of
        each for a whole batch."""
        for tags_of, _deps in _tag_sources.get(self.type, ()):
            found = tags_of([document.pk for document in documents]) if documents else {}
            for document in documents:
                if document.pk in found:
                    document.tags = [*document.tags, *found[document.pk]]

    def document_for(self, instance: Model) -> SearchDocument | None:
        document = self.to_document(instance)
        if document is None:
            return None
        rule = self.access_rule
        principals, available_from = rule.principals_of(instance)
        # A record no grant covers is found by editors only (they search unrestricted).
        document.principals = principals or [STAFF_ONLY]
        document.available_from = available_from
        if document.created is None:
            document.created = next(
                (v for v in (getattr(instance, f, None) for f in LISTED_FIELDS) if v), None
            )
        if self.owner_tag and not any(name == ORGANIZATION_TAG for name, _value in document.tags):
            owners = [getattr(instance, field, None) for field in _owner_fields(rule)]
            document.tags = [
                *document.tags,
                *((ORGANIZATION_TAG, str(owner)) for owner in dict.fromkeys(owners) if owner),
            ]
        return document


_registry: dict[str, IndexSpec] = {}
# Tags an app adds to another app's documents (the union catalogue's partners on the
# center's documents), with the models whose changes alter them: {type: [(tags_of, deps)]}.
_tag_sources: dict[str, list[tuple[Callable, dict]]] = {}


def register(spec: IndexSpec) -> IndexSpec:
    if rule_for(spec.model) is None:
        raise ImproperlyConfigured(
            f"search type {spec.type!r}: {spec.model.__name__}'s QuerySet declares no access_rule"
        )
    if spec.type in _registry and _registry[spec.type].model is not spec.model:
        raise ValueError(f"search type {spec.type!r} registered twice")
    _registry[spec.type] = spec
    return spec


def register_tags(
    type: str,
    tags_of: Callable[[list[str]], dict[str, list[tuple[str, str]]]],
    dependencies: dict[type[Model], Callable[[Model], Iterable]] | None = None,
) -> None:
    """Let an app add tags to the documents of `type` without that app knowing it:
    `tags_of(pks)` returns {pk: [(name, value), …]} for a batch of records (a constant
    number of queries); saves and deletes of a model in `dependencies` reindex the records
    its function names, as `IndexSpec.dependencies` do. Call it from the app's search.py."""
    _tag_sources.setdefault(type, []).append((tags_of, dict(dependencies or {})))


def get_spec(type: str) -> IndexSpec:
    return _registry[type]


def all_specs() -> list[IndexSpec]:
    return list(_registry.values())


def full_texts(uids: Sequence[str]) -> dict[str, str]:
    """uids ("type:pk") → their bodies from the database (`base.TextLoader`): one call per
    type; a type that cannot say is left out (its hits keep the excerpt's snippet)."""
    by_type: dict[str, list[str]] = {}
    for uid in uids:
        type, _, pk = str(uid).partition(":")
        by_type.setdefault(type, []).append(pk)
    out: dict[str, str] = {}
    for type, pks in by_type.items():
        spec = _registry.get(type)
        if spec is None:
            continue
        try:
            texts = spec.full_texts(pks)
        except Exception:
            logger.exception("could not read the texts of %s records %s", type, pks)
            continue
        out.update((f"{type}:{pk}", text) for pk, text in texts.items())
    return out


def type_labels() -> dict[str, str]:
    return {spec.type: str(spec.label) for spec in _registry.values()}


# ---------------------------------------------------------------------------
# Extra filters the search page accepts beyond its facets (e.g. "organization", which
# follows and saved searches use), each with a function naming its values for the page.
# ---------------------------------------------------------------------------
_filters: dict[str, tuple[str, Callable[[list[str]], dict[str, str]]]] = {}


def register_filter(name: str, label, labels: Callable[[list[str]], dict[str, str]]) -> None:
    """Let the search page filter on the tag `name`; `labels(values)` returns {value: name}
    for the chips of the active filters (one query for all of them)."""
    _filters[name] = (label, labels)


def extra_filters() -> dict[str, tuple[str, Callable[[list[str]], dict[str, str]]]]:
    return dict(_filters)
