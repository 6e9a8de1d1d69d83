"""Sample tasks (DOMAIN.md §5) and synthetic tasks for benchmarks.

`load_sample(log)` is idempotent: tasks are looked up by code. The directory's sample (loaded
before this one) provides the organizations and researchers; a missing host is created.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sti.accounts.models import Membership, User
from sti.core.models import FieldOfScience, TaskLevel
from sti.core.text import fold_lower
from sti.directory.models import Organization, Researcher
from sti.projects.choices import (
    COMPLETED_STATES,
    AcceptanceRating,
    ApplicationKind,
    CouncilKind,
    EvaluationVerdict,
    MemberRole,
    ProposalStatus,
    PublicationKind,
    RegistrationStatus,
    TaskKind,
    TaskStatus,
)
from sti.projects.models import (
    Acceptance,
    Council,
    CouncilMember,
    Evaluation,
    Proposal,
    Publication,
    ResultApplication,
    ResultRegistration,
    Task,
    TaskMember,
    TaskTransition,
)
from sti.projects.sample_reports import reconcile_reports

TEXTS = Path(__file__).parent / "tests" / "data" / "rewordings.json"
S = TaskStatus

# Tasks whose records the host declared confidential (mật): only editors and the host's
# reporters see them, in pages, search, the API and exports alike.
CONFIDENTIAL_TASKS = {3}

# number (in DOMAIN §5), host, principal, level, form, fields, status, start, end,
# acceptance (date, or days before today), archive number
TASKS = [
    (
        1,
        "Viện Lúa Đồng bằng sông Cửu Long",
        "Trần Văn Bảo",
        "tinh",
        "de_tai",
        ["401", "406"],
        S.REGISTERED,
        2021,
        2023,
        date(2023, 6, 20),
        "2023-62/KQNC",
    ),
    (
        2,
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ",
        "Lê Văn Nghĩa",
        "co_so",
        "du_an_khcn",
        ["406"],
        S.IN_PROGRESS,
        2024,
        2026,
        None,
        "",
    ),
    (
        3,
        "Trường Đại học Tây Đô",
        "Phạm Văn Nghĩa",
        "tinh",
        "de_tai",
        ["405"],
        S.IN_PROGRESS,
        2023,
        2025,
        None,
        "",
    ),
    (
        4,
        "Trường Đại học Cần Thơ",
        "Trần Thị Thanh Hương",
        "tinh",
        "de_tai",
        ["405", "403"],
        S.LIQUIDATED,
        2020,
        2022,
        date(2022, 11, 10),
        "2022-41/KQNC",
    ),
    (
        5,
        "Trường Đại học Cần Thơ",
        "Lê Quốc Việt",
        "co_so",
        "de_tai",
        ["207"],
        S.AWAITING_ACCEPTANCE,
        2023,
        2025,
        None,
        "",
    ),
    (
        6,
        "Trường Đại học Cần Thơ",
        "Phạm Thị Ngọc Trâm",
        "tinh",
        "de_tai",
        ["40107"],
        S.REGISTERED,
        2021,
        2023,
        date(2023, 9, 12),
        "2023-70/KQNC",
    ),
    (
        7,
        "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ",
        "Trần Ngọc Hạnh",
        "tinh",
        "de_tai",
        ["211"],
        S.IN_PROGRESS,
        2024,
        2026,
        None,
        "",
    ),
    (
        8,
        "Trường Đại học Tây Đô",
        "Lê Ngọc Trang",
        "co_so",
        "de_tai",
        ["211"],
        S.ACCEPTED,
        2022,
        2024,
        40,
        "",
    ),
    (
        9,
        "Công ty TNHH Chế biến Nông sản Phong Điền",
        "Trương Văn Đạt",
        "co_so",
        "du_an_sxtn",
        ["211"],
        S.IN_PROGRESS,
        2024,
        2025,
        None,
        "",
    ),
    (
        10,
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Cần Thơ",
        "Võ Minh Đức",
        "co_so",
        "de_tai",
        ["211"],
        S.CONTRACTED,
        2025,
        2026,
        None,
        "",
    ),
    (
        11,
        "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ",
        "Trần Ngọc Hạnh",
        "tinh",
        "de_tai",
        ["205", "204"],
        S.PLAN_APPROVED,
        2026,
        2027,
        None,
        "",
    ),
    (
        12,
        "Trường Đại học Kỹ thuật – Công nghệ Cần Thơ",
        "Nguyễn Hữu Khang",
        "tinh",
        "de_tai",
        ["102", "401"],
        S.IN_PROGRESS,
        2023,
        2025,
        None,
        "",
    ),
    (
        13,
        "Trường Đại học Cần Thơ",
        "Huỳnh Minh Khang",
        "tinh",
        "de_tai",
        ["202", "207"],
        S.REGISTERED,
        2021,
        2023,
        date(2023, 12, 5),
        "2023-88/KQNC",
    ),
    (
        14,
        "Trường Đại học Cần Thơ",
        "Đặng Hữu Tín",
        "tinh",
        "de_tai",
        ["105"],
        S.APPLIED,
        2019,
        2021,
        date(2021, 8, 2),
        "2021-35/KQNC",
    ),
    (
        15,
        "Trường Đại học Y Dược Cần Thơ",
        "Trương Quốc Dũng",
        "tinh",
        "de_tai",
        ["302"],
        S.REGISTERED,
        2021,
        2023,
        date(2023, 3, 15),
        "2023-21/KQNC",
    ),
    (
        16,
        "Bệnh viện Đa khoa Trung ương Cần Thơ",
        "Đoàn Văn Lộc",
        "co_so",
        "de_tai",
        ["302", "30218"],
        S.IN_PROGRESS,
        2024,
        2025,
        None,
        "",
    ),
    (
        17,
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ",
        "Lê Văn Nghĩa",
        "tinh",
        "du_an_sxtn",
        ["406", "401"],
        S.ACCEPTED,
        2023,
        2025,
        10,
        "",
    ),
    (
        18,
        "Liên hiệp các Hội Khoa học và Kỹ thuật TP. Cần Thơ",
        "",
        "co_so",
        "du_an_khcn",
        ["502"],
        S.REGISTERED,
        2020,
        2022,
        date(2022, 6, 1),
        "2022-18/KQNC",
    ),
    (
        19,
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ",
        "Huỳnh Thị Ngọc",
        "co_so",
        "du_an_sxtn",
        ["406"],
        S.IN_PROGRESS,
        2024,
        2025,
        None,
        "",
    ),
    (
        20,
        "Trường Đại học Cần Thơ",
        "Bùi Thanh Trúc",
        "tinh",
        "de_tai",
        ["401", "406"],
        S.AWAITING_ACCEPTANCE,
        2023,
        2025,
        None,
        "",
    ),
    (
        21,
        "Sở Khoa học và Công nghệ TP. Cần Thơ",
        "Nguyễn Thị Bích Ngọc",
        "co_so",
        "du_an_khcn",
        ["102"],
        S.IN_PROGRESS,
        2024,
        2025,
        None,
        "",
    ),
    (
        22,
        "Công ty CP Thủy sản Hậu Giang Xanh",
        "Lâm Thị Kim Yến",
        "co_so",
        "de_tai",
        ["405", "211"],
        S.PROPOSED,
        2026,
        2027,
        None,
        "",
    ),
    (
        23,
        "Viện Kinh tế – Xã hội TP. Cần Thơ",
        "Trần Thị Phương Thảo",
        "tinh",
        "de_an",
        ["502"],
        S.IN_PROGRESS,
        2024,
        2025,
        None,
        "",
    ),
]


def _texts() -> dict:
    data = json.loads(TEXTS.read_text(encoding="utf-8"))
    return {int(item["key"][1:]): item for item in data["sources"]}


def _host(name: str) -> Organization:
    found = Organization.objects.filter(name_folded__startswith=fold_lower(name)).first()
    if found:
        return found
    organization, _created = Organization.objects.get_or_create(
        name=name, defaults={"kind": "other"}
    )
    return organization


def _person(name: str) -> Researcher | None:
    return Researcher.objects.filter(name_folded=fold_lower(name)).first() if name else None


def load_sample(log: Callable[[str], None] = print) -> None:
    texts = _texts()
    levels = {level.code: level for level in TaskLevel.objects.filter(version__is_current=True)}
    fields = {f.code: f for f in FieldOfScience.objects.current()}
    today = timezone.localdate()
    created = 0
    for number, host_name, pi, level, form, codes, status, start, end, accepted, archive in TASKS:
        code = f"CT.{start}.{number:02d}"
        if Task.objects.filter(code=code).exists():
            continue
        text = texts[number]
        host, principal = _host(host_name), _person(pi)
        task = Task.objects.create(
            code=code,
            title=text["title"] + ".",
            objectives=text["objectives"],
            content=text["content"],
            methods="Điều tra, khảo sát; thí nghiệm có đối chứng; phân tích thống kê.",
            expected_products="Báo cáo tổng hợp, quy trình kỹ thuật, bài báo khoa học.",
            host=host,
            principal=principal,
            principal_name="" if principal else (pi or "ThS. Lê Thị Kim Dâu"),
            level=levels[level],
            form=form,
            status=status,
            is_confidential=number in CONFIDENTIAL_TASKS,
            managing_agency="Sở Khoa học và Công nghệ TP. Cần Thơ",
            planned_start=date(start, 1, 1),
            planned_end=date(end, 12, 31),
            total_budget=Decimal(300 + number * 45),
            state_budget=Decimal(250 + number * 40),
            decision_number=f"{100 + number}/QĐ-SKHCN" if status not in (S.PROPOSED,) else "",
            contract_number=f"{number:02d}/{start}/HĐ-KHCN"
            if status not in (S.PROPOSED, S.PLAN_APPROVED)
            else "",
        )
        task.fields.set([fields[c] for c in codes if c in fields])
        if principal:
            TaskMember.objects.create(
                task=task, researcher=principal, role=MemberRole.PRINCIPAL, organization=host
            )
        colleague = (
            Researcher.objects.filter(organization=host)
            .exclude(pk=getattr(principal, "pk", None))
            .first()
        )
        if colleague:
            TaskMember.objects.create(
                task=task,
                researcher=colleague,
                role=MemberRole.SECRETARY,
                organization=host,
                order=1,
            )
        TaskTransition.objects.create(
            task=task,
            from_status=S.PROPOSED,
            to_status=status,
            effective_date=date(start, 1, 1),
            note="Dữ liệu mẫu",
        )
        if accepted is not None:
            _results(
                task,
                accepted if isinstance(accepted, date) else today - timedelta(days=accepted),
                archive,
            )
        created += 1
    proposals = _proposals()
    _council()
    staff = (user for user in User.objects.order_by("-is_superuser", "pk") if user.is_editor)
    actor = next(staff, None)
    if actor is not None:  # the portal's loader makes the administrator first
        reconcile_reports(actor)
    log(
        f"  nhiệm vụ KH&CN: thêm {created} nhiệm vụ, {proposals} đề xuất; "
        f"đã có {len(TASKS) - created} nhiệm vụ, {Proposal.objects.count() - proposals} đề xuất"
    )


def _results(task: Task, accepted: date, archive: str) -> None:
    Acceptance.objects.create(
        task=task,
        date=accepted,
        rating=AcceptanceRating.PASSED,
        note="Hội đồng nghiệm thu chính thức cấp thành phố.",
    )
    task.actual_start, task.actual_end = task.planned_start, accepted
    task.abstract = (
        f"{task.objectives} Nhiệm vụ đã hoàn thành các nội dung: {task.content[:1].lower()}"
        f"{task.content[1:]} Kết quả được hội đồng đánh giá đạt yêu cầu."
    )
    task.save()
    certified = bool(archive)
    ResultRegistration.objects.create(
        task=task,
        status=RegistrationStatus.CERTIFIED if certified else RegistrationStatus.NOT_SUBMITTED,
        registration_number=f"ĐK-{archive.split('/')[0]}" if certified else "",
        submitted_on=accepted + timedelta(days=20) if certified else None,
        issued_on=accepted + timedelta(days=28) if certified else None,
        certificate_number=f"{archive.split('/')[0]}/GCN-TTTT" if certified else "",
        archive_number=archive,
    )
    Publication.objects.create(
        task=task,
        kind=PublicationKind.DOMESTIC,
        title=task.title.rstrip("."),
        authors=task.principal_display,
        venue="Tạp chí Khoa học Trường Đại học Cần Thơ",
        issn="1859-2333",
        year=accepted.year,
    )
    # Its IP filings are the IP register's demo (sti.ip.sample.TASK_FILINGS).
    if task.status == S.APPLIED:
        for year in (accepted.year + 1, accepted.year + 2):
            ResultApplication.objects.create(
                task=task,
                year=year,
                place="UBND quận Ô Môn",
                form=ApplicationKind.POLICY,
                scale="12 km bờ sông",
                effect="Cảnh báo sớm sạt lở, di dời 48 hộ dân khỏi vùng nguy cơ.",
            )


def _reporter_for(organization):
    membership = (
        Membership.objects.filter(organization=organization, role="reporter")
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _proposals() -> int:
    """The sample proposals, once (none if any proposal exists); the number created."""
    if Proposal.objects.exists():
        return 0
    data = json.loads(TEXTS.read_text(encoding="utf-8"))["rewordings"]
    ctu = _host("Trường Đại học Cần Thơ")
    specs = [
        (data[5], ctu, ProposalStatus.SEARCHED),  # a rewording of task 6: flagged
        (
            data[23],
            _host("Trường Đại học Nam Cần Thơ"),
            ProposalStatus.SEARCHED,
        ),  # nấm bào ngư: new
        (
            {
                "title": "Nghiên cứu sản xuất trà túi lọc từ lá mãng cầu xiêm",
                "objectives": "Tạo sản phẩm trà thảo dược từ lá mãng cầu xiêm trồng tại Phong Điền.",
                "content": "Khảo sát nguyên liệu, quy trình sấy, phối trộn và đóng gói trà túi lọc.",
            },
            ctu,
            ProposalStatus.DRAFT,
        ),
    ]
    for item, organization, status in specs:
        proposal = Proposal.objects.create(
            title=item["title"],
            objectives=item["objectives"],
            content=item["content"],
            organization=organization,
            proposer=_reporter_for(organization),
            urgency="Đáp ứng nhu cầu thực tiễn của địa phương.",
            status=ProposalStatus.SUBMITTED if status == ProposalStatus.SEARCHED else status,
            submitted_at=timezone.now() if status == ProposalStatus.SEARCHED else None,
        )
        if status == ProposalStatus.SEARCHED:
            transaction.on_commit(lambda pk=proposal.pk: _check_later(pk))
    return len(specs)


def _check_later(pk: int) -> None:
    """The duplicate check reads every task, so it runs once the sample is committed."""
    from sti.accounts.models import User
    from sti.projects import services
    from sti.projects.similarity import duplicates

    editor = (
        User.objects.filter(role__in=["editor", "admin"]).first()
        or User.objects.filter(is_superuser=True).first()
    )
    proposal = Proposal.objects.get(pk=pk)
    if editor is not None:
        duplicates.get_index(
            allow_build=True
        )  # a command, not a web request: build even a large corpus
        services.check_duplicates(editor, proposal)


def _council() -> None:
    from sti.projects import councils

    task = Task.objects.filter(code="CT.2023.20").first()
    if task is None or task.councils.exists():
        return
    slate = councils.recommend(task)
    if not slate.members:
        return
    council = Council.objects.create(
        task=task,
        kind=CouncilKind.ACCEPTANCE,
        decision_number="215/QĐ-SKHCN",
        meeting_date=timezone.localdate() + timedelta(days=14),
    )
    for rec in slate.members:
        member = CouncilMember.objects.create(
            council=council,
            researcher=rec.researcher,
            role=rec.role,
            reasons="; ".join(rec.reasons),
        )
        Evaluation.objects.create(
            member=member,
            verdict=EvaluationVerdict.PASSED,
            score=Decimal("82.5"),
            comments="Báo cáo đầy đủ; đề nghị bổ sung số liệu khảo nghiệm năm 2025.",
        )


# ---------------------------------------------------------------------------
# Synthetic tasks for benchmarks (`sti generate`)
# ---------------------------------------------------------------------------
STATUS_MIX = [
    (S.IN_PROGRESS, 30),
    (S.REGISTERED, 35),
    (S.LIQUIDATED, 10),
    (S.ACCEPTED, 5),
    (S.PROPOSED, 10),
    (S.AWAITING_ACCEPTANCE, 5),
    (S.CONTRACTED, 5),
]


def generate(scale: int, seed: int, progress: Callable[[str, int], Callable[[int], None]]) -> dict:
    """Create `scale` synthetic tasks with acceptances and registrations for completed ones."""
    from sti.core.synthetic import SyntheticText

    text, rng = SyntheticText(seed + 5), random.Random(seed + 5)
    hosts = list(Organization.objects.values_list("pk", flat=True)) or [
        _host("Trường Đại học Cần Thơ").pk
    ]
    levels = list(TaskLevel.objects.filter(version__is_current=True, is_legacy=False))
    field_pks = dict(FieldOfScience.objects.current().values_list("code", "pk"))
    statuses, weights = zip(*STATUS_MIX, strict=True)
    advance = progress("Nhiệm vụ KH&CN", scale)
    start_number = Task.objects.count()
    made = 0
    for offset in range(0, scale, 1000):
        batch = []
        for i in range(offset, min(scale, offset + 1000)):
            start = text.year(2010, 2025)
            task = Task(
                code=f"SYN.{start}.{start_number + i:07d}",
                title=text.title(),
                objectives=text.abstract(40),
                content=text.abstract(60),
                abstract=text.abstract(),
                host_id=rng.choice(hosts),
                principal_name=text.person_name()[0],
                level=rng.choice(levels),
                form=TaskKind.TOPIC,
                status=rng.choices(statuses, weights)[0],
                planned_start=date(start, 1, 1),
                planned_end=date(start + rng.randint(1, 3), 12, 31),
            )
            task.refresh_folded()
            batch.append(task)
        Task.objects.bulk_create(batch)
        links, acceptances, registrations = [], [], []
        for task in batch:
            code = text.field_code()
            if code in field_pks:
                links.append(
                    Task.fields.through(task_id=task.pk, fieldofscience_id=field_pks[code])
                )
            if task.status in COMPLETED_STATES:
                accepted = task.planned_end - timedelta(days=rng.randint(0, 90))
                acceptances.append(
                    Acceptance(task=task, date=accepted, rating=AcceptanceRating.PASSED)
                )
                registrations.append(
                    ResultRegistration(
                        task=task,
                        status=RegistrationStatus.CERTIFIED,
                        archive_number=f"{accepted.year}-{task.pk}/KQNC",
                        certificate_number=f"{task.pk}/GCN",
                    )
                )
        Task.fields.through.objects.bulk_create(links)
        Acceptance.objects.bulk_create(acceptances)
        ResultRegistration.objects.bulk_create(registrations)
        made += len(batch)
        advance(len(batch))
    return {"tasks": made}
