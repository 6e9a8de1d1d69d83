"""Demo data of the statistics app, and synthetic periods for benchmarks.

`load_sample` (run by `sti demo`, idempotent) loads the TT 15/2018 regime and:

1. **History 2015–2019, the seed report's figures.** 73 organizations (the directory's sample
   and, to make 73, demo units created here) file forms 01–04 for each year 2015–2019; every
   submission is accepted. Their figures are drawn per organization (a stable size, a growth
   rate of its own) and apportioned so that, summed over the 73 organizations by the
   platform's aggregation, 2019 gives the city's S&T report: **7,455 R&D staff** (form 02,
   row 02.06) and **1,682 tasks hosted at all levels** (form 04, topics 04.01 + projects
   04.11). Earlier years grow towards those totals. Every submission satisfies its form's
   rules (the tests validate them); each period is aggregated and published. The 2015–2018
   figures are shown in the TT 15/2018 layout, as the center would convert the TT 25/2015
   forms of those years.
2. **The IP form 08 for January 2016 – June 2019, as the report gives it**, filed by the
   Department of S&T in the 2019 period: 1,690 applications (1,627 trademarks, 24 patents,
   5 utility solutions, 34 designs) and "727 grants, of which 727 trademarks, 7 patents,
   5 utility solutions and 23 designs". The breakdown sums to 762: the form's rule R04 flags
   it, so the submission stays a draft that cannot be submitted until corrected, like any
   organization's inconsistent figures. (The IP register's own rows stay consistent:
   sti.ip.sample.)
3. **The open period of last year**: forms 01–04, 06 and 08 assigned to twelve organizations,
   pre-filled from the registry, one organization's forms 01 and 02 submitted.

The history is written in bulk (one insert per table and period), not through the filing
services one cell at a time, to keep `sti demo` quick; one audit row per period records it.
`generate` adds a period of synthetic accepted submissions (forms 01–04 and 08 for every
active organization) for benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sti.directory.models import Organization
from sti.stats import aggregation, layout, regimes, services
from sti.stats.choices import SubmissionSourceKind, SubmissionStatus, ValueKind
from sti.stats.models import (
    Period,
    Regime,
    Submission,
    SubmissionValue,
    SubmissionVersion,
)

TT15 = Path(__file__).parent / "data" / "tt15_2018.yaml"
ORGANIZATIONS = 12  # organizations asked to file in the open demo period
SEED = 2019

# The city's S&T report (2019): 73 units, 7,455 R&D staff, 1,682 tasks at all levels.
REPORTING_UNITS = 73
HISTORY = {  # year: (R&D staff, tasks hosted at all levels)
    2015: (6_118, 1_297),
    2016: (6_402, 1_371),
    2017: (6_731, 1_458),
    2018: (7_064, 1_563),
    2019: (7_455, 1_682),
}
HISTORY_FORMS = ("01", "02", "03", "04")
IP_YEAR = 2019
IP_ORGANIZATION = "Sở Khoa học và Công nghệ TP. Cần Thơ"
# Form 08 as the report gives it: (applications, grants) by object.
IP_AS_REPORTED = {
    "08.01": (1690, 727),
    "08.02": (24, 7),  # patents
    "08.03": (5, 5),  # utility solutions
    "08.04": (34, 23),  # industrial designs
    "08.05": (1627, 727),  # trademarks: the report's 727, which makes the grants add to 762
}
SAMPLE_NOTE = "Dữ liệu mẫu thống kê"

# Demo units added to the directory's sample to make 73 reporting organizations.
UNIT_PREFIXES = [
    ("Trung tâm Nghiên cứu", "institute", "state"),
    ("Phòng thí nghiệm", "institute", "state"),
    ("Trung tâm Ứng dụng và Dịch vụ", "public_service", "state"),
    ("Công ty CP Công nghệ", "enterprise", "non_state"),
]
UNIT_TOPICS = [
    "Thủy sản",
    "Cây ăn trái",
    "Công nghệ sinh học",
    "Môi trường",
    "Năng lượng tái tạo",
    "Vật liệu mới",
    "Cơ khí chế tạo",
    "Công nghệ thông tin",
    "Nông nghiệp công nghệ cao",
    "Dược liệu",
    "Thực phẩm",
    "Giống cây trồng",
    "Chăn nuôi – Thú y",
    "Tài nguyên nước",
    "Đô thị thông minh",
    "Y học cổ truyền",
    "Tự động hóa",
    "Viễn thám và GIS",
    "Biến đổi khí hậu",
    "Lúa gạo",
]
ORG_TYPE = {  # directory kind → item 13.x of form 01
    "state_agency": "13.1",
    "institute": "13.2",
    "university": "13.3",
    "public_service": "13.4",
    "incubator": "13.4",
    "enterprise": "13.7",
}


# ---------------------------------------------------------------------------
# Figures of one organization
# ---------------------------------------------------------------------------
def apportion(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in integers that sum to `total` exactly
    (largest remainders)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    shares = [total * w / weight_sum for w in weights]
    out = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


QUALS = ["TS", "ThS", "DH", "CD", "TC", "KHAC"]
RD_QUAL = [0.22, 0.45, 0.28, 0.03, 0.0, 0.02]
SUPPORT_QUAL = [0.0, 0.12, 0.45, 0.15, 0.13, 0.15]
FUNDS = ["TW", "DP", "NGOAI", "NN"]
EXPENSE_LEAVES = {  # leaf rows of form 03 and their share of the total
    "03.02": 0.15,
    "03.04": 0.25,
    "03.05": 0.10,
    "03.06": 0.33,
    "03.07": 0.05,
    "03.08": 0.03,
    "03.09": 0.02,
    "03.10": 0.02,
    "03.11": 0.05,
}
RECURRENT = ["03.04", "03.05", "03.06", "03.07", "03.08", "03.09", "03.10"]
TOPIC_LEVELS = [0.03, 0.07, 0.30, 0.55, 0.05]  # national, ministerial, provincial, grassroots,
PROJECT_LEVELS = [0.05, 0.10, 0.50, 0.30, 0.05]  # other


def _put(values: dict, code: str, parts: dict[str, int], *, total: bool = True) -> None:
    if total:
        values[code] = sum(parts.values())
    for option, number in parts.items():
        if number:
            values[f"{code}|{option}"] = number


def personnel(rd_staff: int, rng: random.Random) -> tuple[dict, dict]:
    """(form 01 values, form 02 values) of an organization with `rd_staff` R&D staff."""
    rd = dict(zip(QUALS, apportion(rd_staff, RD_QUAL), strict=True))
    support = dict(
        zip(
            QUALS,
            apportion(round(rd_staff * rng.uniform(0.25, 0.5)) + 1, SUPPORT_QUAL),
            strict=True,
        )
    )
    everyone = {q: rd[q] + support[q] for q in QUALS}
    women = {q: round(n * rng.uniform(0.38, 0.52)) for q, n in everyone.items()}
    minorities = {q: round(n * 0.02) for q, n in everyone.items()}
    kinh = {q: everyone[q] - minorities[q] for q in QUALS}
    titles = {"title.GS": round(rd["TS"] * 0.04), "title.PGS": round(rd["TS"] * 0.18)}
    form02: dict = {}
    _put(form02, "02.01", {f"qual.{q}": n for q, n in everyone.items()})
    _put(form02, "02.01", titles, total=False)
    _put(form02, "02.02", {f"qual.{q}": n for q, n in women.items()})
    _put(form02, "02.03", {f"qual.{q}": n for q, n in kinh.items()})
    _put(form02, "02.04", {f"qual.{q}": n for q, n in minorities.items()})
    _put(form02, "02.06", {f"qual.{q}": n for q, n in rd.items()})
    _put(form02, "02.06", titles, total=False)
    staff = form02["02.01"] + rng.randint(0, max(1, form02["02.01"] // 20))
    female = form02["02.02"] + (staff - form02["02.01"]) // 2
    form01: dict = {}
    _put(form01, "01.10", {"gender.nam": staff - female, "gender.nu": female})
    form01["01.11"] = max(1, rd_staff // 40)
    return form01, form02


def expenditure(amount: int, state: bool, rng: random.Random) -> dict:
    """Form 03 values totalling about `amount` million VND, each row split by source."""
    weights = [0.35, 0.45, 0.15, 0.05] if state else [0.0, 0.08, 0.87, 0.05]
    rows: dict[str, dict[str, int]] = {}
    for code, share in EXPENSE_LEAVES.items():
        split = apportion(round(amount * share * rng.uniform(0.8, 1.2)), weights)
        rows[code] = dict(zip(FUNDS, split, strict=True))
    rows["03.03"] = {f: sum(rows[c][f] for c in RECURRENT) for f in FUNDS}
    rows["03.01"] = {f: rows["03.02"][f] + rows["03.03"][f] + rows["03.11"][f] for f in FUNDS}
    values: dict = {}
    for code in ["03.01", "03.02", "03.03", *RECURRENT, "03.11"]:
        _put(values, code, {f"fund.{f}": n for f, n in rows[code].items()})
    return values


def tasks(count: int, rng: random.Random) -> dict:
    """Form 04 values of `count` tasks hosted (topics and projects, by level)."""
    projects = round(count * rng.uniform(0.08, 0.18))
    values: dict = {}
    for total_code, number, levels in (
        ("04.01", count - projects, TOPIC_LEVELS),
        ("04.11", projects, PROJECT_LEVELS),
    ):
        base = int(total_code[-2:])
        new = round(number * rng.uniform(0.3, 0.45))
        _put(
            values,
            total_code,
            {
                "prog.NU": round(number * rng.uniform(0.25, 0.45)),
                "prog.MOI": new,
                "prog.CT": number - new,
                "prog.NT": round(number * rng.uniform(0.2, 0.35)),
                "prog.UD": round(number * rng.uniform(0.1, 0.2)),
            },
            total=False,
        )
        values[total_code] = number
        for offset, level_count in enumerate(apportion(number, levels), start=1):
            values[f"04.{base + offset:02d}"] = level_count
    return values


def organization_values(organization, rd_staff: int, task_count: int, rng) -> dict[str, dict]:
    """The values of forms 01–04 of one organization and year, by form number."""
    form01, form02 = personnel(rd_staff, rng)
    form01["01.03"] = ORG_TYPE.get(organization.kind, "13.5")
    state = organization.sector == "state"
    form03 = expenditure(round(rd_staff * rng.uniform(35, 70)) + 50, state, rng)
    return {"01": form01, "02": form02, "03": form03, "04": tasks(task_count, rng)}


# ---------------------------------------------------------------------------
# Writing accepted submissions in bulk
# ---------------------------------------------------------------------------
def write_accepted(period: Period, filings: list[tuple[Organization, str, dict]], actor) -> int:
    """Accepted submissions with one frozen version each, for (organization, form number,
    raw values). Values are canonicalized through the form's grid (an unknown or unreadable
    cell raises, never stored). Returns the number of submissions written."""
    forms = {f.number: f for f in period.regime.forms.all()}
    grids = {number: layout.build(form) for number, form in forms.items()}
    now = timezone.now()
    with transaction.atomic():
        submissions, versions, canonical = [], [], []
        for organization, number, raw in filings:
            values, unreadable = layout.parse(grids[number], {k: str(v) for k, v in raw.items()})
            if unreadable:
                raise ValueError(f"{organization} {number}: {unreadable}")
            canonical.append((number, values))
            submissions.append(
                Submission(
                    period=period,
                    organization=organization,
                    form=forms[number],
                    status=SubmissionStatus.ACCEPTED,
                    values=values,
                    source=SubmissionSourceKind.ONLINE,
                    submitted_at=now,
                    reviewed_at=now,
                )
            )
        Submission.objects.bulk_create(submissions)
        for submission, (_number, values) in zip(submissions, canonical, strict=True):
            versions.append(
                SubmissionVersion(
                    submission=submission,
                    number=1,
                    values=values,
                    source=SubmissionSourceKind.ONLINE,
                    created_by=actor,
                )
            )
        SubmissionVersion.objects.bulk_create(versions)
        cells = []
        for version, (number, values) in zip(versions, canonical, strict=True):
            grid = grids[number]
            for key, value in values.items():
                cell = grid.cells[key]
                text = cell.indicator.kind == ValueKind.TEXT
                cells.append(
                    SubmissionValue(
                        version=version,
                        indicator_id=cell.indicator.pk,
                        option_id=cell.column.option_id,
                        number=None if text else value,
                        text=value if text else "",
                    )
                )
        SubmissionValue.objects.bulk_create(cells, batch_size=5000)
    return len(submissions)


# ---------------------------------------------------------------------------
# The demo
# ---------------------------------------------------------------------------
def _editor():
    from sti.accounts.choices import UserRole
    from sti.accounts.models import User

    return User.objects.filter(role=UserRole.EDITOR, is_active=True).order_by("pk").first()


def reporting_units(count: int = REPORTING_UNITS) -> list[Organization]:
    """The first `count` active organizations, demo units added to the directory to make up
    the number (idempotent: found again by name)."""
    from sti.directory import services as directory_services

    have = list(Organization.objects.active().order_by("pk")[:count])
    names = {o.name for o in Organization.objects.all().only("name")}
    candidates = (
        (f"{prefix} {topic}", kind, sector)
        for topic in UNIT_TOPICS
        for prefix, kind, sector in UNIT_PREFIXES
    )
    for name, kind, sector in candidates:
        if len(have) >= count:
            break
        if name in names:
            continue
        have.append(
            directory_services.create_organization(
                actor=None,
                data={"name": name, "kind": kind, "sector": sector},
                note=SAMPLE_NOTE,
            )
        )
    return have


def load_history(actor, regime: Regime, organizations: list[Organization], log) -> int:
    """Periods 2015–2019 with accepted forms 01–04 of every organization (skipped when the
    period exists). Returns the number of submissions written."""
    from sti.core import audit
    from sti.core.choices import AuditAction

    rng = random.Random(SEED)
    size = [rng.lognormvariate(0, 1.0) for _ in organizations]
    size.sort(reverse=True)  # the directory's first units (the universities) are the largest
    growth = [rng.uniform(-0.02, 0.10) for _ in organizations]
    task_ratio = [rng.uniform(0.12, 0.35) for _ in organizations]
    written = 0
    for year, (rd_total, task_total) in sorted(HISTORY.items()):
        if Period.objects.filter(year=year).exists():
            continue
        period = services.open_period(actor, year, regime)
        step = year - min(HISTORY)
        weights = [s * (1 + g) ** step for s, g in zip(size, growth, strict=True)]
        rd_staff = apportion(rd_total, weights)
        task_counts = apportion(
            task_total, [w * t for w, t in zip(weights, task_ratio, strict=True)]
        )
        year_rng = random.Random(SEED * 10_000 + year)
        filings = []
        for organization, staff, count in zip(organizations, rd_staff, task_counts, strict=True):
            forms = organization_values(organization, staff, count, year_rng)
            filings.extend((organization, number, forms[number]) for number in HISTORY_FORMS)
        written += write_accepted(period, filings, actor)
        audit.record(
            actor,
            AuditAction.CREATE,
            period,
            {"accepted": len(filings)},
            note=SAMPLE_NOTE,
        )
        # The history is aggregated and published, as an editor would have done each year.
        aggregation.rebuild(period)
        aggregation.publish(actor, period)
    if written:
        log(f"  thống kê: số liệu {min(HISTORY)}–{max(HISTORY)}, {written} báo cáo đã duyệt")
    return written


def load_ip_as_reported(actor, log) -> Submission | None:
    """The Department's form 08 of 2019 with the report's grant figures, saved as a draft;
    its validation flags the grants that do not add up."""
    period = Period.objects.filter(year=IP_YEAR).first()
    organization = Organization.objects.filter(name=IP_ORGANIZATION).first()
    if period is None or organization is None:
        return None
    form = period.regime.forms.get(number="08")
    submission, created = Submission.objects.get_or_create(
        period=period, organization=organization, form=form
    )
    if created or not submission.values:
        raw = {}
        for code, (applications, grants) in IP_AS_REPORTED.items():
            raw[f"{code}|ipstat.DON"] = applications
            raw[f"{code}|ipstat.VB"] = grants
        issues = services.save_values(actor, submission, {k: str(v) for k, v in raw.items()})
        errors = [i.message for i in issues if i.is_error]
        log(
            f"  thống kê: biểu 08 (01/2016–06/2019) theo báo cáo, kiểm tra phát hiện"
            f" {len(errors)} lỗi: {'; '.join(errors)}"
        )
    return submission


def load_sample(log) -> None:
    regime, _notes = regimes.load_file(TT15)
    actor = _editor()
    if actor is None:
        log("  thống kê: chưa có biên tập viên mẫu, bỏ qua")
        return
    units = reporting_units()
    load_history(actor, regime, units, log)
    load_ip_as_reported(actor, log)
    _open_period(actor, regime, log)


def _open_period(actor, regime: Regime, log) -> None:
    year = timezone.localdate().year - 1
    period = Period.objects.filter(year=year).first() or services.open_period(actor, year, regime)
    organizations = list(Organization.objects.active().order_by("pk")[:ORGANIZATIONS])
    created = services.assign_forms(actor, period, organizations, list(regime.forms.all()))
    if created and organizations:
        first = organizations[0]
        form01 = Submission.objects.get(period=period, organization=first, form__number="01")
        form02 = Submission.objects.get(period=period, organization=first, form__number="02")
        services.save_values(
            actor,
            form01,
            {"01.03": "13.3", "01.10": "120", "01.10|gender.nam": "70", "01.10|gender.nu": "50"},
        )
        services.save_values(
            actor,
            form02,
            {
                "02.01": "110",
                "02.01|qual.TS": "30",
                "02.01|qual.ThS": "50",
                "02.01|qual.DH": "30",
                "02.01|title.PGS": "8",
                "02.01|title.GS": "2",
                "02.03": "110",
                "02.03|qual.TS": "30",
                "02.03|qual.ThS": "50",
                "02.03|qual.DH": "30",
            },
        )
        for submission in (form01, form02):
            if submission.status == SubmissionStatus.DRAFT:
                services.submit_submission(actor, submission)
    log(
        f"  thống kê: chế độ {regime.code}, kỳ {period.year}, giao {len(created)} báo cáo"
        f" cho {len(organizations)} tổ chức"
    )


# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------
def ip_values(rng: random.Random) -> dict:
    """A consistent form 08 of one organization."""
    values: dict = {}
    for column in ("DON", "VB"):
        parts = [rng.randint(0, 6) if column == "DON" else rng.randint(0, 3) for _ in range(6)]
        for offset, number in enumerate(parts, start=2):
            values[f"08.{offset:02d}|ipstat.{column}"] = number
        values[f"08.01|ipstat.{column}"] = sum(parts)
    return values


def generate(scale: int, seed: int, progress: Callable[[str, int], Callable[[int], None]]) -> dict:
    """A period (the year after the last one) in which every active organization filed
    forms 01–04 and 08, all accepted: the data of `bench/stats.py`."""
    regime, _notes = regimes.load_file(TT15)
    actor = _editor()  # may be None on a bare benchmark database
    rng = random.Random(seed)
    last = Period.objects.order_by("-year").values_list("year", flat=True).first()
    year = (last or timezone.localdate().year - 1) + 1
    # Synthetic data for benchmarks: the period is written directly (no editor to act).
    period = Period.objects.create(year=year, regime=regime, deadline=regime.default_deadline(year))
    organizations = list(Organization.objects.active().order_by("pk"))
    advance = progress("Báo cáo thống kê", len(organizations))
    written = 0
    for start in range(0, len(organizations), 500):
        filings = []
        for organization in organizations[start : start + 500]:
            rd_staff = max(1, round(rng.lognormvariate(3.5, 1.0)))
            forms = organization_values(
                organization, rd_staff, max(1, rd_staff // rng.randint(3, 8)), rng
            )
            forms["08"] = ip_values(rng)
            filings.extend((organization, number, values) for number, values in forms.items())
        written += write_accepted(period, filings, actor)
        advance(min(500, len(organizations) - start))
    return {"stat_period": year, "stat_submissions": written}
