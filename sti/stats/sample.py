"""Demo data: the TT 15/2018 regime, the reporting period of last year, forms 01–04 and 08
assigned to the demo organizations (pre-filled from the directory and the task registry), and
one organization's forms 01 and 02 filled and submitted. Idempotent."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from sti.directory.models import Organization
from sti.stats import regimes, services
from sti.stats.choices import SubmissionStatus
from sti.stats.models import Period, Submission

TT15 = Path(__file__).parent / "data" / "tt15_2018.yaml"
ORGANIZATIONS = 12


def _editor():
    from sti.accounts.choices import UserRole
    from sti.accounts.models import User

    return User.objects.filter(role=UserRole.EDITOR, is_active=True).order_by("pk").first()


def load_sample(log) -> None:
    regime, _notes = regimes.load_file(TT15)
    year = timezone.localdate().year - 1
    actor = _editor()
    if actor is None:
        log("  thống kê: chưa có biên tập viên mẫu, bỏ qua")
        return
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
