"""Query-count pins: every list and detail page of the task registry asks the database the
same number of times with 2 rows and with 20 (no N+1 loop), and no more than its pin."""

from datetime import date

import pytest

from sti.core.testing import assert_flat_queries
from sti.directory.models import Researcher
from sti.ip.models import Filing
from sti.projects.models import (
    Acceptance,
    CatalogueBuild,
    Council,
    CouncilMember,
    DuplicateMatch,
    Evaluation,
    ProgressCheck,
    Proposal,
    Publication,
    ResultApplication,
    ResultRegistration,
    TaskMember,
    TaskTransition,
)

pytestmark = pytest.mark.django_db

ACCEPTED = "nghiem_thu_dat"


@pytest.fixture
def researchers(org_b):
    """`researchers(n)`: n public experts at organization B."""
    made = []

    def make(count):
        people = [
            Researcher.objects.create(
                full_name=f"Nguyễn Văn Đức {len(made) + i:02d}",
                organization=org_b,
                is_public=True,
                is_expert=True,
            )
            for i in range(count)
        ]
        made.extend(people)
        return people

    return make


@pytest.mark.parametrize(("persona", "pin"), [(None, 5), ("reporter_a", 8), ("editor", 7)])
def test_task_list(request, client_for, make_task, persona, pin):
    user = request.getfixturevalue(persona) if persona else None

    def add(count):
        return [make_task(fields=("401", "405")).title for _ in range(count)]

    assert_flat_queries(client_for(user), "/nhiem-vu/", add, at_most=pin)


# +1: which of the principal and members the viewer may open (linked profiles).
@pytest.mark.parametrize(("persona", "pin"), [(None, 12), ("reporter_a", 24), ("editor", 24)])
def test_task_page(request, client_for, make_task, editor, researchers, org_a, persona, pin):
    """Rows: team, transitions, progress checks, councils (members, evaluations),
    publications (researchers), IP filings (the IP register's section), applications."""
    user = request.getfixturevalue(persona) if persona else None
    task = make_task(status=ACCEPTED, title="Nhiệm vụ nghiệm thu: giống lúa chịu mặn")
    ResultRegistration.objects.create(task=task)
    council = Council.objects.create(task=task, kind="nghiem_thu", created_by=editor)
    Acceptance.objects.create(task=task, date=date(2024, 6, 1), rating="dat", council=council)

    def add(count):
        titles = []
        for person in researchers(count):
            n = Publication.objects.count()
            TaskMember.objects.create(
                task=task, researcher=person, role="thanh_vien", organization=org_a
            )
            TaskTransition.objects.create(
                task=task,
                from_status="dang_thuc_hien",
                to_status="cho_nghiem_thu",
                actor=editor,
                effective_date=date(2024, 1, 1),
            )
            ProgressCheck.objects.create(
                task=task, date=date(2024, 1, 1), findings="Đúng tiến độ", created_by=editor
            )
            member = CouncilMember.objects.create(
                council=council, researcher=person, role="uy_vien"
            )
            Evaluation.objects.create(member=member, verdict="dat")
            publication = Publication.objects.create(
                task=task, kind="trong_nuoc", title=f"Bài báo số {n}", authors="Lê Văn A", year=2024
            )
            publication.researchers.set([person])
            Filing.objects.create(
                task=task, kind="sang_che", title=f"Sáng chế số {n}", status="examined"
            )
            ResultApplication.objects.create(
                task=task, year=2024, place=f"Phong Điền {n}", form="san_xuat"
            )
            titles += [publication.title, f"Sáng chế số {n}"]
        return titles

    assert_flat_queries(client_for(user), task.get_absolute_url(), add, at_most=pin)


def test_council_page(client_for, editor, make_task, researchers):
    task = make_task()
    council = Council.objects.create(task=task, kind="xac_dinh", created_by=editor)

    def add(count):
        names = []
        for person in researchers(count):
            member = CouncilMember.objects.create(
                council=council, researcher=person, role="uy_vien"
            )
            Evaluation.objects.create(member=member, verdict="dat", comments="Đạt yêu cầu")
            names.append(person.full_name)
        return names

    assert_flat_queries(client_for(editor), f"/nhiem-vu/hoi-dong/{council.pk}/", add, at_most=4)


def test_expert_history(client, editor, make_task, researchers):
    expert = researchers(1)[0]

    def add(count):
        titles = []
        for _ in range(count):
            task = make_task()
            council = Council.objects.create(task=task, kind="xac_dinh", created_by=editor)
            member = CouncilMember.objects.create(
                council=council, researcher=expert, role="uy_vien"
            )
            Evaluation.objects.create(member=member, verdict="dat")
            titles.append(task.title)
        return titles

    assert_flat_queries(client, f"/nhiem-vu/chuyen-gia/{expert.pk}/", add, at_most=2)


def test_registration_board(client_for, editor, make_task):
    def add(count):
        titles = []
        for _ in range(count):
            task = make_task(status=ACCEPTED)
            Acceptance.objects.create(task=task, date=date(2020, 1, 1), rating="dat")
            ResultRegistration.objects.create(task=task)
            titles.append(task.title)
        return titles

    assert_flat_queries(client_for(editor), "/nhiem-vu/dang-ky-ket-qua/", add, at_most=3)


@pytest.mark.parametrize(("persona", "pin"), [("reporter_a", 5), ("editor", 4)])
def test_proposal_list(request, client_for, org_a, reporter_a, persona, pin):
    user = request.getfixturevalue(persona)

    def add(count):
        return [
            Proposal.objects.create(
                title=f"Đề xuất bảo quản bưởi Năm Roi {Proposal.objects.count()}",
                organization=org_a,
                proposer=reporter_a,
            ).title
            for _ in range(count)
        ]

    assert_flat_queries(client_for(user), "/nhiem-vu/de-xuat/", add, at_most=pin)


@pytest.mark.parametrize(("persona", "pin"), [("reporter_a", 10), ("editor", 9)])
def test_proposal_page(request, client_for, org_a, reporter_a, make_task, persona, pin):
    """Rows: the duplicate-check matches (tasks)."""
    user = request.getfixturevalue(persona)
    proposal = Proposal.objects.create(
        title="Đề xuất bảo quản bưởi Năm Roi", organization=org_a, proposer=reporter_a
    )

    def add(count):
        titles = []
        for _ in range(count):
            task = make_task()
            rank = proposal.matches.count() + 1
            DuplicateMatch.objects.create(
                proposal=proposal,
                rank=rank,
                kind="task",
                task=task,
                object_id=task.pk,
                title=task.title,
                score=0.5,
            )
            titles.append(task.title)
        return titles

    assert_flat_queries(client_for(user), proposal.get_absolute_url(), add, at_most=pin)


def test_catalogue_list(client_for, editor):
    def add(count):
        for i in range(count):
            CatalogueBuild.objects.create(year=2000 + i, kind="results", requested_by=editor)

    assert_flat_queries(client_for(editor), "/nhiem-vu/an-pham/", add, at_most=3)


def test_api_task_list(client, make_task):
    def add(count):
        for _ in range(count):
            task = make_task(fields=("401", "405"))
            ResultApplication.objects.create(
                task=task, year=2024, place="Phong Điền", form="san_xuat"
            )

    assert_flat_queries(client, "/api/projects/tasks", add, at_most=4)
    assert_flat_queries(client, "/api/projects/applications", add, at_most=1)
