"""Workflows of the IP register: record, edit, move and delete filings (each checks access,
runs in one transaction and writes the audit row), and the counts the statistics forms and
the home page read."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core.text import normalize
from sti.ip import lifecycle
from sti.ip.access import can_edit_filing, can_file_for
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing

TEXT_FIELDS = ("title", "application_number", "applicant_name", "grant_number")
EDITABLE = (
    "kind",
    "title",
    "application_number",
    "filed_on",
    "applicant_organization",
    "applicant_name",
    "task",
    "grant_number",
    "granted_on",
)


def _clean(data: dict) -> dict:
    return {
        key: normalize(value).strip() if key in TEXT_FIELDS and isinstance(value, str) else value
        for key, value in data.items()
    }


def _organization_id(data: dict, fallback=None):
    organization = data.get("applicant_organization", fallback)
    return getattr(organization, "pk", organization)


def create_filing(actor, data: dict) -> Filing:
    """Record a filing. A filing may predate the register, so it may start in any state
    (a granted one needs its title's number and date)."""
    if not can_file_for(actor, _organization_id(data)):
        raise PermissionDenied(_("Bạn không có quyền ghi đơn sở hữu trí tuệ cho chủ đơn này."))
    data = _clean(data)
    with transaction.atomic():
        filing = Filing(
            **{key: value for key, value in data.items() if key in (*EDITABLE, "status")}
        )
        filing.full_clean()
        filing.save()
        audit.record_create(actor, filing)
    return filing


def update_filing(actor, filing: Filing, data: dict) -> Filing:
    """Edit a filing's data; its state changes only through `move_filing`."""
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if not can_edit_filing(actor, locked):
            raise PermissionDenied(_("Bạn không có quyền sửa đơn sở hữu trí tuệ này."))
        if not can_file_for(actor, _organization_id(data, locked.applicant_organization_id)):
            raise PermissionDenied(_("Bạn không có quyền ghi đơn sở hữu trí tuệ cho chủ đơn này."))
        before = audit.snapshot(locked)
        for key, value in _clean(data).items():
            if key in EDITABLE:
                setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        audit.record_update(actor, locked, before)
    return locked


def move_filing(
    actor,
    filing: Filing,
    target: str,
    *,
    note: str = "",
    grant_number: str = "",
    granted_on: date | None = None,
    confirmed: bool = True,
) -> Filing:
    """Move a filing through its state table; granting records the title's number and date."""
    return lifecycle.FILING.move(
        actor,
        filing,
        target,
        note=note,
        confirmed=confirmed,
        grant_number=normalize(grant_number or "").strip(),
        granted_on=granted_on,
    )


def delete_filing(actor, filing: Filing) -> None:
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if not can_edit_filing(actor, locked):
            raise PermissionDenied(_("Bạn không có quyền xóa đơn sở hữu trí tuệ này."))
        audit.record_delete(actor, locked)
        locked.delete()


# ---------------------------------------------------------------------------
# Counts for the statistics forms (Mẫu 08/KHCN) and the home figures
# ---------------------------------------------------------------------------
def counts(
    user=None,
    *,
    by=("kind",),
    start: date | None = None,
    end: date | None = None,
    organization_ids=None,
    queryset=None,
) -> dict:
    """Applications and grants counted by `by` (any of "kind", "year", "organization").

    Applications are counted by their filing date within [start, end], grants by their
    grant date within it, so a period's figures read like the IP office's. `user` limits
    the rows to what that user may see (None: the whole register, for the statistics
    worker); `organization_ids` to those applicants. Returns
    `{"applications": {key: n}, "grants": {key: n}}` where a key is a tuple in the order of
    `by` ("year" is the filing year for applications, the grant year for grants).
    """
    unknown = set(by) - {"kind", "year", "organization"}
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}")
    base = queryset if queryset is not None else Filing.objects.all()
    if user is not None:
        base = base.visible_to(user)
    if organization_ids is not None:
        base = base.filter(applicant_organization_id__in=list(organization_ids))
    result = {}
    for name, queryset, date_field in (
        ("applications", base.filed_between(start, end), "filed_on"),
        ("grants", base.granted_between(start, end), "granted_on"),
    ):
        columns = {
            "kind": "kind",
            "year": "_year",
            "organization": "applicant_organization_id",
        }
        rows = (
            queryset.annotate(_year=ExtractYear(date_field))
            .values(*(columns[key] for key in by))
            .annotate(n=Count("id"))
            .order_by()
        )
        tally: Counter = Counter()
        for row in rows:
            tally[tuple(row[columns[key]] for key in by)] += row["n"]
        result[name] = dict(tally)
    return result


def kind_totals(user=None, **filters) -> list[dict]:
    """One row per IP kind: applications and grants (the layout of Mẫu 08/KHCN)."""
    figures = counts(user, by=("kind",), **filters)
    return [
        {
            "kind": kind.value,
            "label": str(kind.label),
            "applications": figures["applications"].get((kind.value,), 0),
            "grants": figures["grants"].get((kind.value,), 0),
        }
        for kind in IPKind
    ]


def granted_count(user) -> int:
    """Home figure: the IP titles granted that this visitor may see."""
    return Filing.objects.visible_to(user).filter(status=FilingStatus.GRANTED).count()
