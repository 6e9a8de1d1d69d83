"""Synthetic accepted submissions with known values, for the aggregation tests and the
benchmark (`bench/stats.py`): many organizations filed at once, without the per-cell
validation of the online path (the values are consistent by construction: each total is the
sum of its first breakdown; "of which" columns never exceed the total).

Not demo data (that is `sample.py`): these rows exist to be counted.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sti.stats import layout
from sti.stats.choices import SubmissionSourceKind, SubmissionStatus, ValueKind
from sti.stats.models import (
    Period,
    ReportForm,
    Submission,
    SubmissionValue,
    SubmissionVersion,
    cell_key,
)

# Breakdowns whose options split the total (the others are "of which" columns).
SPLITTING = {"qual", "fund", "gender"}


def form_values(grid: layout.FormLayout, rng: random.Random) -> dict[str, str]:
    """A plausible set of values for one form: every numeric cell filled."""
    values: dict[str, str] = {}
    for code, indicator in grid.indicators.items():
        if indicator.kind == ValueKind.TEXT:
            continue
        has_total = cell_key(code) in grid.cells
        columns = indicator.columns
        splitting = [b for b in columns if b in SPLITTING]
        total = None
        if splitting:
            parts = [rng.randint(0, 40) for _o in grid.options[splitting[0]]]
            total = sum(parts)
            for option, part in zip(grid.options[splitting[0]], parts, strict=True):
                values[cell_key(code, f"{splitting[0]}.{option}")] = str(part)
        elif has_total:
            total = rng.randint(0, 120)
        if has_total and total is not None:
            values[cell_key(code)] = str(total)
        for breakdown in columns:
            if breakdown in splitting[:1]:
                continue
            for option in grid.options[breakdown]:
                key = cell_key(code, f"{breakdown}.{option}")
                if key in grid.cells:
                    ceiling = total if total is not None else 60
                    values[key] = str(rng.randint(0, max(0, ceiling // 2)))
    return values


@transaction.atomic
def file_accepted(
    period: Period, entries: list[tuple[int, ReportForm, dict[str, str]]]
) -> list[Submission]:
    """Write accepted submissions (organization id, form, values) with one frozen version
    each and its cell rows, in bulk. Returns the submissions."""
    now = timezone.now()
    grids: dict[int, layout.FormLayout] = {}
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                period=period,
                organization_id=org_id,
                form=form,
                status=SubmissionStatus.ACCEPTED,
                values=values,
                source=SubmissionSourceKind.API,
                submitted_at=now,
                reviewed_at=now,
            )
            for org_id, form, values in entries
        ],
        batch_size=2000,
    )
    if not all(s.pk for s in submissions):  # a backend without RETURNING
        by_key = {
            (s.organization_id, s.form_id): s for s in Submission.objects.filter(period=period)
        }
        submissions = [by_key[(org, form.pk)] for org, form, _v in entries]
    versions = SubmissionVersion.objects.bulk_create(
        [
            SubmissionVersion(
                submission=s, number=1, values=s.values, source=SubmissionSourceKind.API
            )
            for s in submissions
        ],
        batch_size=2000,
    )
    if not all(v.pk for v in versions):
        by_sub = {
            v.submission_id: v for v in SubmissionVersion.objects.filter(submission__period=period)
        }
        versions = [by_sub[s.pk] for s in submissions]
    cells = []
    for (_org, form, values), version in zip(entries, versions, strict=True):
        grid = grids.get(form.pk) or grids.setdefault(form.pk, layout.build(form))
        for key, value in values.items():
            cell = grid.cells.get(key)
            if cell is None:
                continue
            text = cell.indicator.kind == ValueKind.TEXT
            cells.append(
                SubmissionValue(
                    version=version,
                    indicator_id=cell.indicator.pk,
                    option_id=cell.column.option_id,
                    number=None if text else Decimal(value),
                    text=value if text else "",
                )
            )
    SubmissionValue.objects.bulk_create(cells, batch_size=5000)
    return submissions
