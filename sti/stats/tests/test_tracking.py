"""Pre-filling from the task registry, the tracking board, and reminders sent by the worker."""

from datetime import date, timedelta

import pytest

from sti.core import periodic
from sti.core.models import TaskLevel
from sti.stats import jobs, services
from sti.stats.models import Reminder, Submission
from sti.stats.tests.conftest import personnel_values

pytestmark = pytest.mark.django_db


def _task(org, level_code, status, number, **extra):
    from sti.projects.models import Task

    return Task.objects.create(
        code=f"NV-{number}",
        title=f"Nghiên cứu giống lúa chịu mặn số {number}",
        host=org,
        level=TaskLevel.objects.get(code=level_code, version__is_current=True),
        status=status,
        planned_start=date(2024, 3, 1),
        planned_end=date(2025, 12, 31),
        **extra,
    )


def test_form_04_prefilled_from_the_task_registry(regime, period, forms, org_a, org_b, editor):
    _task(org_a, "tinh", "dang_thuc_hien", 1)
    _task(org_a, "tinh", "nghiem_thu_dat", 2)
    _task(org_a, "quoc_gia", "ung_dung", 3)
    _task(org_a, "co_so", "dang_thuc_hien", 4, form="du_an_khcn")
    _task(org_a, "tinh", "de_xuat", 5)  # a proposal is not a task yet
    _task(org_b, "tinh", "dang_thuc_hien", 6)  # another host
    services.assign_forms(editor, period, [org_a], [forms["04"]])
    values = Submission.objects.get(organization=org_a, form=forms["04"]).values
    assert values["04.01"] == "3"  # topics: 1, 2, 3
    assert values["04.04"] == "2" and values["04.02"] == "1"
    assert values["04.04|prog.NT"] == "1"
    assert values["04.02|prog.UD"] == "1" and values["04.02|prog.NT"] == "1"
    assert values["04.11"] == "1" and values["04.15"] == "1"  # the project, grassroots level
    assert "04.03" not in values


def test_board_counts_and_completeness(submissions, org_a, org_b, reporter_a, editor, client_for):
    sub = submissions[(org_a.pk, "02")]
    services.save_values(reporter_a, sub, personnel_values())
    services.submit_submission(reporter_a, sub)
    page = client_for(editor).get("/thong-ke/ky/2024/")
    summary = next(s for s in page.context["forms"] if s["form"].number == "02")
    assert (summary["assigned"], summary["submitted"], summary["filed_percent"]) == (2, 1, 50)
    row = next(r for r in summary["rows"] if r.organization_id == org_a.pk)
    assert row.completeness == 83  # 5 of the 6 rows filled (02.05 left empty)


def test_reminders_before_the_deadline_and_when_late(
    submissions, org_a, reporter_a, period, mailoutbox
):
    reporter_a.email = "baocao.a@ctu.edu.vn"
    reporter_a.save()
    sub = submissions[(org_a.pk, "02")]
    services.save_values(reporter_a, sub, personnel_values())
    services.submit_submission(reporter_a, sub)  # filed: never reminded
    week_before = period.deadline - timedelta(days=period.remind_days_before)
    sent = jobs.send_due_reminders(today=week_before)
    assert sent == 5  # forms 01, 03, 04, 06, 08 of A (B's reporter has no address here)
    assert {m.to[0] for m in mailoutbox} == {"baocao.a@ctu.edu.vn"}
    assert "Nhắc nộp báo cáo thống kê" in mailoutbox[0].subject
    assert jobs.send_due_reminders(today=week_before) == 0  # idempotent
    assert jobs.send_due_reminders(today=period.deadline + timedelta(days=3)) == 0
    late = jobs.send_due_reminders(today=period.deadline + timedelta(days=1))
    assert late == 5
    assert "[Quá hạn]" in mailoutbox[-1].subject
    assert (
        Reminder.objects.filter(kind="late", sent_at__isnull=False).count() == 5 + 6
    )  # A: 5 open forms, B: 6
    assert Reminder.objects.filter(kind="late", recipients=1).count() == 5


def test_reminders_are_registered_periodic_work():
    from sti.core import registries

    assert "stats.reminders" in [work.key for work in registries.periodic_work()]
    assert periodic  # the worker runs registered work (sti.core.periodic)


def test_one_click_reminder_from_the_board(
    submissions,
    org_a,
    reporter_a,
    editor,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    reporter_a.email = "baocao.a@ctu.edu.vn"
    reporter_a.save()
    sub = submissions[(org_a.pk, "03")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post("/thong-ke/ky/2024/nhac/", {"submission": [sub.pk]})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "03/KHCN-CP" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        client_for(editor).post("/thong-ke/ky/2024/nhac/", {"submission": [sub.pk]})
    assert len(mailoutbox) == 1  # once a day


def test_year_on_year_change_warns_without_blocking(regime, forms, org_a, reporter_a, editor):
    from sti.stats import validation

    before = services.open_period(editor, 2023, regime)
    now = services.open_period(editor, 2024, regime)
    services.assign_forms(editor, before, [org_a], [forms["02"]])
    services.assign_forms(editor, now, [org_a], [forms["02"]])
    old = Submission.objects.get(period=before, form=forms["02"])
    services.save_values(reporter_a, old, personnel_values())
    services.submit_submission(reporter_a, old)
    new = Submission.objects.get(period=now, form=forms["02"])
    values = personnel_values()
    values.update({"02.01": "60", "02.01|qual.DH": "40", "02.03": "58", "02.03|qual.DH": "38"})
    issues = services.save_values(reporter_a, new, values)
    warnings = [i for i in issues if i.level == "warning"]
    assert [(i.key, i.rule) for i in warnings] == [("02.01", "R09")]
    assert "+50.0%" in warnings[0].message and "40 → 60" in warnings[0].message
    assert not validation.errors_of(issues)
    services.submit_submission(reporter_a, new)  # a warning does not block


def test_a_provider_registered_by_another_app_prefills(
    regime, period, forms, org_a, editor, monkeypatch
):
    from sti.stats import prefill

    monkeypatch.setattr(prefill, "_providers", {k: list(v) for k, v in prefill._providers.items()})
    prefill.register_prefill("08.05", lambda org, period: {"ipstat.DON": 12, "ipstat.VB": 5})
    services.assign_forms(editor, period, [org_a], [forms["08"]])
    values = Submission.objects.get(organization=org_a, form=forms["08"]).values
    assert values == {"08.05|ipstat.DON": "12", "08.05|ipstat.VB": "5"}


def test_form_08_prefilled_from_the_ip_register(regime, period, forms, org_a, org_b, editor):
    from sti.ip.models import Filing

    def filing(number, kind, organization, filed, granted=None):
        Filing.objects.create(
            kind=kind,
            title=f"Đối tượng {number}",
            application_number=f"4-{number}",
            filed_on=filed,
            applicant_organization=organization,
            status="granted" if granted else "filed",
            grant_number=f"VB-{number}" if granted else "",
            granted_on=granted,
        )

    filing(1, "nhan_hieu", org_a, date(2024, 2, 1), granted=date(2024, 11, 5))
    filing(2, "nhan_hieu", org_a, date(2024, 6, 1))
    filing(3, "sang_che", org_a, date(2021, 5, 1), granted=date(2024, 3, 1))  # granted in 2024
    filing(4, "kdcn", org_a, date(2023, 12, 31))  # filed the year before
    filing(5, "nhan_hieu", org_b, date(2024, 3, 3))  # another applicant
    services.assign_forms(editor, period, [org_a], [forms["08"]])
    values = Submission.objects.get(organization=org_a, form=forms["08"]).values
    assert values == {
        "08.01|ipstat.DON": "2",
        "08.01|ipstat.VB": "2",
        "08.05|ipstat.DON": "2",
        "08.05|ipstat.VB": "1",
        "08.02|ipstat.VB": "1",
    }
