"""Services: the state table through the service, access checks, and the counts the
statistics forms read (checked against an independent count of the rows)."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sti.core.statemachine import ConfirmationRequired, IllegalMove, MoveForbidden
from sti.ip import services
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing


def test_create_checks_the_applicant_and_the_grant_data(
    editor, reporter_a, reporter_b, member_a, org_a
):
    data = {"kind": IPKind.PATENT, "title": "Quy trình ủ phân", "applicant_organization": org_a}
    for refused in (member_a, reporter_b):
        with pytest.raises(PermissionDenied):
            services.create_filing(refused, data)
    with pytest.raises(PermissionDenied):  # an applicant outside the directory: editors only
        services.create_filing(
            reporter_a, {**data, "applicant_organization": None, "applicant_name": "Lê Văn Tư"}
        )
    with pytest.raises(ValidationError) as error:
        services.create_filing(editor, {**data, "status": FilingStatus.GRANTED})
    assert {"grant_number", "granted_on"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        services.create_filing(
            editor,
            {
                **data,
                "filed_on": date(2019, 1, 1),
                "granted_on": date(2018, 1, 1),
                "grant_number": "1-0001",
            },
        )
    filing = services.create_filing(reporter_a, {**data, "title": "Quy trình u\u0309 phân"})
    assert filing.title == "Quy trình ủ phân"  # stored NFC


def test_moves_follow_the_table(editor, reporter_a, member_a, reporter_b, make_filing):
    filing = make_filing(status=FilingStatus.FILED)
    for refused in (member_a, reporter_b):
        with pytest.raises(MoveForbidden):
            services.move_filing(refused, filing, FilingStatus.EXAMINED)
    with pytest.raises(IllegalMove):  # filed → granted skips the examination
        services.move_filing(
            editor, filing, FilingStatus.GRANTED, grant_number="4-1", granted_on=date(2019, 1, 1)
        )
    services.move_filing(reporter_a, filing, FilingStatus.EXAMINED)
    with pytest.raises(ConfirmationRequired):
        services.move_filing(reporter_a, filing, FilingStatus.REFUSED, confirmed=False)
    with pytest.raises(IllegalMove, match="ngày cấp trước ngày nộp đơn"):
        services.move_filing(
            editor, filing, FilingStatus.GRANTED, grant_number="4-1", granted_on=date(2017, 1, 1)
        )
    services.move_filing(
        editor, filing, FilingStatus.GRANTED, grant_number="4-0300123", granted_on=date(2019, 5, 2)
    )
    filing.refresh_from_db()
    assert (filing.status, filing.grant_number, filing.granted_on) == (
        FilingStatus.GRANTED,
        "4-0300123",
        date(2019, 5, 2),
    )
    with pytest.raises(IllegalMove):
        services.move_filing(editor, filing, FilingStatus.WITHDRAWN)


def test_update_cannot_hand_a_filing_to_another_organization(reporter_a, org_b, published):
    with pytest.raises(PermissionDenied):
        services.update_filing(reporter_a, published, {"applicant_organization": org_b})


def test_counts_by_kind_year_and_organization_equal_an_independent_count(org_a, org_b):
    rng = random.Random(7)
    rows = []
    for index in range(120):
        filed = date(2016, 1, 1) + timedelta(days=rng.randint(0, 1400))
        granted = rng.random() < 0.4
        rows.append(
            Filing(
                kind=rng.choice(IPKind.values),
                title=f"Nhãn hiệu {index}",
                filed_on=filed,
                applicant_organization=rng.choice([org_a, org_b, None]),
                applicant_name="Nguyễn Văn Ba",
                status=FilingStatus.GRANTED
                if granted
                else rng.choice([FilingStatus.FILED, FilingStatus.EXAMINED, FilingStatus.REFUSED]),
                granted_on=filed + timedelta(days=rng.randint(100, 700)) if granted else None,
                grant_number=f"VB-{index}" if granted else "",
            )
        )
    Filing.objects.bulk_create(rows)
    start, end = date(2016, 1, 1), date(2019, 6, 30)
    figures = services.counts(by=("kind", "year", "organization"), start=start, end=end)
    expected_applications = Counter(
        (r.kind, r.filed_on.year, r.applicant_organization.pk if r.applicant_organization else None)
        for r in rows
        if start <= r.filed_on <= end
    )
    expected_grants = Counter(
        (
            r.kind,
            r.granted_on.year,
            r.applicant_organization.pk if r.applicant_organization else None,
        )
        for r in rows
        if r.granted_on and start <= r.granted_on <= end
    )
    assert figures == {"applications": dict(expected_applications), "grants": dict(expected_grants)}
    # One organization's figures, as its statistics form is pre-filled.
    mine = services.counts(by=("kind",), organization_ids=[org_a.pk])
    assert sum(mine["applications"].values()) == sum(
        1 for r in rows if r.applicant_organization == org_a
    )
    # Read as a visitor: unpublished (just filed) applications are not counted.
    everything = services.counts(by=("kind",))
    assert sum(everything["applications"].values()) == len(rows)
    anonymous_view = services.kind_totals(_anonymous())
    assert sum(row["applications"] for row in anonymous_view) == sum(
        1 for r in rows if r.status != FilingStatus.FILED
    )
    with pytest.raises(ValueError):
        services.counts(by=("colour",))


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_home_figure_counts_visible_grants(client, make_filing):
    make_filing(status=FilingStatus.GRANTED, grant_number="4-0300001", granted_on=date(2019, 1, 1))
    make_filing(status=FilingStatus.FILED)
    assert services.granted_count(_anonymous()) == 1
    assert "văn bằng sở hữu trí tuệ" in client.get("/").content.decode()
