"""Declarative state machines: one table of moves per stateful model, and one writer.

An app's `lifecycle.py` declares a `StateMachine` for each stateful model: the moves (from a
state, to a state, who may make them, and guards that say what is still missing), a function
giving the actor's roles on a record, and optionally how to record a transition row. Every
state change then goes through `StateMachine.move`, which

1. locks the row (`select_for_update`), so two people cannot race one record through two moves;
2. refuses a move that is not in the table, or whose guard fails (`IllegalMove`: 409 in the API,
   a ValidationError for forms and pages), or that the actor's roles do not allow
   (`MoveForbidden`: 403 in the API, a PermissionDenied for pages);
3. writes the new state, the transition row (where the app keeps one) and the audit row.

A move that cannot be undone (stop, cancel, reject, withdraw) carries `confirm`, the warning
a page shows next to its button; such a move made from a page needs the page's explicit
confirmation (`confirmed=confirmed_in(request.POST)`, a required checkbox rendered by
`core/_move_confirm.html`), else it is refused with `ConfirmationRequired` and nothing
changes. Services and the API default to `confirmed=True`: an API client confirms by calling.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.choices import AuditAction

# A guard returns "" when the record is ready for the move, else a message saying what is
# missing. It receives the locked record and the move's context (note, actor, and whatever
# the service passed, e.g. an effective date).
Guard = Callable[[models.Model, dict], str]

# The role of the worker (actor None): moves that follow from background work, such as a
# proposal becoming "searched" once its duplicate check ran.
SYSTEM = "system"


class TransitionError(Exception):
    """A refused move; `str(error)` is a message for the user, `status` the HTTP answer."""

    code = "illegal"
    status = 409

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class IllegalMove(TransitionError, ValidationError):
    """The move is not in the table from the current state, or a guard failed (409)."""

    def __init__(self, message):
        ValidationError.__init__(self, str(message), code="illegal")
        self.message = str(message)


class ConfirmationRequired(IllegalMove):
    """An irreversible move posted from a page without its explicit confirmation."""

    code = "confirmation_required"


class MoveForbidden(TransitionError, PermissionDenied):
    """The actor's roles do not allow the move (403)."""

    code = "forbidden"
    status = 403


@dataclass(frozen=True)
class Move:
    """One row of a state table. The actor needs one of `roles`, or `allow(actor, obj)`."""

    source: str
    target: str
    label: str
    roles: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()
    allow: Callable | None = None
    # The warning of a move that cannot be undone; "" for an ordinary move.
    confirm: str = ""

    @property
    def irreversible(self) -> bool:
        return bool(self.confirm)


def moves(
    sources: Iterable[str],
    target: str,
    label,
    roles: Iterable[str] = (),
    *guards: Guard,
    allow: Callable | None = None,
    confirm="",
) -> list[Move]:
    """The same move from several states (e.g. "stop" from every running state); `confirm`
    marks it irreversible, with the warning shown before it is made from a page."""
    return [
        Move(s, target, label, frozenset(roles), tuple(guards), allow, confirm) for s in sources
    ]


CONFIRM_FIELD = "confirmed"


def confirmed_in(data) -> bool:
    """Whether a posted form carries the explicit confirmation of an irreversible move."""
    return str(data.get(CONFIRM_FIELD, "")).lower() in ("1", "on", "true", "yes")


@dataclass
class StateMachine:
    """The lifecycle of one model: its table of moves and the single writer of its state.

    - `roles(user, obj)` gives the actor's roles on the record (only called for a signed-in
      user; anonymous visitors hold none).
    - `on_move(obj, move, context)` sets what every such move sets besides the state
      (dates, published_at…); a service may pass `apply` for its own extra fields.
    - `record_transition(obj, move, actor, context)` writes the app's transition row, if any.
    """

    model: type[models.Model]
    states: type[models.TextChoices]
    noun: str
    table: list[Move]
    roles: Callable[..., set[str]]
    field: str = "status"
    on_move: Callable | None = None
    record_transition: Callable | None = None
    _index: dict = dataclasses.field(init=False, repr=False)

    def __post_init__(self):
        self._index = {(m.source, m.target): m for m in self.table}
        unknown = {s for m in self.table for s in (m.source, m.target)} - set(self.states.values)
        if unknown:
            raise ValueError(f"{self.model.__name__}: unknown states {sorted(unknown)}")

    # -- reading the table -------------------------------------------------------------
    @property
    def transitions(self) -> dict[tuple[str, str], Move]:
        return dict(self._index)

    def moves_from(self, state: str) -> list[Move]:
        return [move for move in self.table if move.source == state]

    def targets_from(self, state: str) -> set[str]:
        return {move.target for move in self.moves_from(state)}

    def roles_of(self, user, obj) -> set[str]:
        if user is None:  # the worker, acting for nobody: only SYSTEM moves
            return {SYSTEM}
        if not user.is_authenticated:
            return set()
        return set(self.roles(user, obj))

    def may(self, user, obj, move: Move) -> bool:
        if move.roles & self.roles_of(user, obj):
            return True
        return bool(
            move.allow is not None
            and user is not None
            and user.is_authenticated
            and move.allow(user, obj)
        )

    def available_moves(self, user, obj) -> list[Move]:
        """The moves this user may offer on this record now (guards are checked on submit)."""
        return [m for m in self.moves_from(getattr(obj, self.field)) if self.may(user, obj, m)]

    def confirmation(self, source: str, target: str) -> str:
        """The warning to confirm before moving from `source` to `target` ("" if none)."""
        move = self._index.get((source, target))
        return str(move.confirm) if move is not None and move.confirm else ""

    def label(self, state: str) -> str:
        return str(self.states(state).label)

    # -- checking ------------------------------------------------------------------------
    def legal_move(self, source: str, target: str) -> Move:
        """The move from `source` to `target`, or IllegalMove naming the legal ones."""
        if target not in self.states.values:
            raise IllegalMove(
                _("Trạng thái “%(target)s” không tồn tại.") % {"target": str(target)[:40]}
            )
        move = self._index.get((source, target))
        if move is None:
            allowed = ", ".join(self.label(m.target) for m in self.moves_from(source))
            raise IllegalMove(
                _(
                    "Không thể chuyển %(noun)s từ “%(src)s” sang “%(dst)s”. "
                    "Các bước hợp lệ: %(allowed)s."
                )
                % {
                    "noun": self.noun,
                    "src": self.label(source),
                    "dst": self.label(target),
                    "allowed": allowed or _("không có"),
                }
            )
        return move

    def check(self, user, obj, target: str, context: dict | None = None) -> Move:
        """Return the move, or raise IllegalMove / MoveForbidden with a message saying why.

        Roles come first: someone who may make no move from here learns nothing about the
        table (not even which moves are legal)."""
        source = getattr(obj, self.field)
        possible = self.moves_from(source)
        if possible and not any(self.may(user, obj, m) for m in possible):
            raise MoveForbidden(
                _("Bạn không có quyền thay đổi trạng thái %(noun)s này.") % {"noun": self.noun}
            )
        move = self.legal_move(source, target)
        if not self.may(user, obj, move):
            raise MoveForbidden(
                _("Bạn không có quyền thực hiện bước “%(label)s” cho %(noun)s này.")
                % {"label": move.label, "noun": self.noun}
            )
        context = {"actor": user, "note": "", **(context or {})}
        for guard in move.guards:
            problem = guard(obj, context)
            if problem:
                raise IllegalMove(
                    _("Chưa thể thực hiện bước “%(label)s”: %(problem)s")
                    % {"label": move.label, "problem": problem}
                )
        return move

    # -- the one writer ----------------------------------------------------------------
    def move(
        self,
        actor,
        obj,
        target: str,
        *,
        note: str = "",
        apply: Callable | None = None,
        confirmed: bool = True,
        **context,
    ) -> models.Model:
        """Move the record (an instance or a pk) to `target`; returns the locked, saved row.

        A passed instance is refreshed with the saved values, so callers holding it see the
        new state. An irreversible move (`Move.confirm`) with `confirmed=False` (a page post
        without the confirmation) raises ConfirmationRequired and changes nothing.
        """
        pk = obj.pk if isinstance(obj, models.Model) else obj
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=pk)
            context = {"actor": actor, "note": note, **context}
            move = self.check(actor, locked, target, context)
            if move.confirm and not confirmed:
                raise ConfirmationRequired(
                    _(
                        "Bước “%(label)s” không thể hoàn tác: hãy đánh dấu ô xác nhận rồi gửi "
                        "lại. Chưa có thay đổi nào."
                    )
                    % {"label": move.label}
                )
            source = getattr(locked, self.field)
            setattr(locked, self.field, target)
            if self.on_move is not None:
                self.on_move(locked, move, context)
            if apply is not None:
                apply(locked)
            locked.save()
            if self.record_transition is not None:
                self.record_transition(locked, move, actor, context)
            audit.record(
                actor,
                AuditAction.TRANSITION,
                locked,
                {self.field: [source, target]},
                note=f"{move.label}. {note}".strip(),
            )
        if isinstance(obj, models.Model) and obj is not locked:
            for concrete in locked._meta.concrete_fields:
                setattr(obj, concrete.attname, getattr(locked, concrete.attname))
        return locked
