"""One access rule per model, read two ways: as a queryset filter and as search principals.

A model declares who may see its records once, as an `AccessRule` on its QuerySet:

    class TaskQuerySet(AccessQuerySet):
        access_rule = AccessRule(grants=[
            Grant(PUBLIC, when=Q(status__in=PUBLIC_STATES, is_confidential=False)),
            Grant(REPORTER, field="host_id"),
        ])

`Task.objects.visible_to(user)` filters with the rule, and `rule.principals_of(task)` gives
the principals the search index stores for the record. The grant conditions (`when`) are
evaluated by the database in both cases (as annotations when indexing), so the page and the
index cannot disagree about a record. Editors see every record that `base` admits.

Principals are strings shared with `principals_for(user)`: "public", "registered",
"user:<id>", "org:<id>" (any member of the organization) and "reporter:<id>" (a member who
may act for it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

__all__ = [
    "PUBLIC",
    "REGISTERED",
    "MEMBER",
    "REPORTER",
    "USER",
    "Grant",
    "AccessRule",
    "AccessQuerySet",
    "principals_for",
    "rule_for",
]

PUBLIC = "public"
REGISTERED = "registered"
MEMBER = "org"
REPORTER = "reporter"
USER = "user"
_AUDIENCES = (PUBLIC, REGISTERED, MEMBER, REPORTER, USER)


def principals_for(user) -> list[str] | None:
    """Who the user is, in the terms records are indexed with; None = sees everything."""
    if user is None or not user.is_authenticated:
        return [PUBLIC]
    if getattr(user, "is_editor", False):
        return None
    principals = [PUBLIC, REGISTERED, f"{USER}:{user.pk}"]
    principals += [f"{MEMBER}:{org_id}" for org_id in user.organization_ids()]
    principals += [f"{REPORTER}:{org_id}" for org_id in user.reporter_organization_ids()]
    return principals


@dataclass(frozen=True)
class Grant:
    """Records matching `when` are seen by `audience`.

    MEMBER and REPORTER grants name the field holding the organization's id, USER grants the
    field holding the user's id. `available_from` names a date field before which the grant
    does not hold yet (an embargo); a grant whose date is empty never holds. With
    `timed=True` that field is a datetime compared with the current moment (a news item
    scheduled for 15:00 shows at 15:00, not at midnight); the search index stores the same
    moment, so pages and search agree without waiting for a worker.
    """

    audience: str
    when: Q = field(default_factory=Q)
    field: str = ""
    available_from: str = ""
    timed: bool = False

    def __post_init__(self):
        if self.audience not in _AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}")
        if self.audience in (MEMBER, REPORTER, USER) and not self.field:
            raise ValueError(f"a {self.audience!r} grant needs the field holding the id")

    def user_q(self, user) -> Q | None:
        """The records this grant shows to `user` (None: none)."""
        authenticated = user is not None and user.is_authenticated
        if self.audience == PUBLIC:
            audience = Q()
        elif not authenticated:
            return None
        elif self.audience == REGISTERED:
            audience = Q()
        elif self.audience == USER:
            audience = Q(**{self.field: user.pk})
        else:
            ids = (
                user.organization_ids()
                if self.audience == MEMBER
                else user.reporter_organization_ids()
            )
            if not ids:
                return None
            audience = Q(**{f"{self.field}__in": ids})
        condition = self.when & audience
        if self.available_from:
            now = timezone.now() if self.timed else timezone.localdate()
            condition &= Q(**{f"{self.available_from}__lte": now})
        return condition

    def principal(self, obj) -> str | None:
        if self.audience in (PUBLIC, REGISTERED):
            return self.audience
        value = getattr(obj, self.field)
        return None if value is None else f"{self.audience}:{value}"


@dataclass(frozen=True)
class AccessRule:
    """Who may see the records of one model. `base` limits even editors (live records)."""

    grants: Sequence[Grant]
    base: Q = field(default_factory=Q)

    def visible_q(self, user) -> Q:
        if user is not None and user.is_authenticated and getattr(user, "is_editor", False):
            return self.base
        conditions = [q for q in (grant.user_q(user) for grant in self.grants) if q is not None]
        if not conditions:
            return self.base & Q(pk__in=[])
        combined = conditions[0]
        for condition in conditions[1:]:
            combined |= condition
        return self.base & combined

    # -- the same rule as search principals -------------------------------------------------
    def _flag(self, index: int) -> str:
        return f"_access_grant_{index}"

    def _conditions(self) -> dict[str, Q]:
        conditions = {"_access_base": self.base}
        for index, grant in enumerate(self.grants):
            conditions[self._flag(index)] = grant.when
        return {name: q for name, q in conditions.items() if q}

    def annotate(self, queryset: models.QuerySet) -> models.QuerySet:
        """Let the database evaluate each grant's condition for every row (used by indexing)."""
        return queryset.annotate(
            **{
                name: ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in self._conditions().items()
            }
        )

    def _flags_of(self, obj) -> dict[str, bool]:
        conditions = self._conditions()
        if all(hasattr(obj, name) for name in conditions):
            return {name: bool(getattr(obj, name)) for name in conditions}
        if not conditions:
            return {}
        row = self.annotate(type(obj)._base_manager.filter(pk=obj.pk)).values(*conditions).first()
        return {name: bool(row and row[name]) for name in conditions}

    def principals_of(self, obj) -> tuple[list[str], dt.date | None]:
        """The principals that may find `obj` in search, and the date before which non-staff
        may not (an embargo). No principals: only editors find it."""
        flags = self._flags_of(obj)
        if not flags.get("_access_base", True):
            return [], None
        principals: list[str] = []
        available_from = None
        for index, grant in enumerate(self.grants):
            if not flags.get(self._flag(index), True):
                continue
            if grant.available_from:
                start = getattr(obj, grant.available_from)
                if start is None:
                    continue
                available_from = start
            principal = grant.principal(obj)
            if principal is not None and principal not in principals:
                principals.append(principal)
        if PUBLIC in principals and available_from is None:
            return [PUBLIC], None  # everyone: the other grants add nobody
        return principals, available_from


class AccessQuerySet(models.QuerySet):
    """A QuerySet whose `visible_to(user)` comes from the model's `access_rule`."""

    access_rule: AccessRule

    def visible_to(self, user):
        return self.filter(self.access_rule.visible_q(user))


def rule_for(model) -> AccessRule | None:
    """The access rule declared on a model's default QuerySet, if any."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return getattr(queryset_class, "access_rule", None)
