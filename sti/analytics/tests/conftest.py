"""Generated data with known totals: records of every source app, spread over several years
and over organizations in different provinces (before and after the 2025 merger). The test
recomputes each figure from these Python lists, never from the database."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from sti.core.models import AdminUnit, TaskLevel
from sti.directory.choices import Degree, Gender, OrganizationKind, OrganizationStatus
from sti.directory.models import Organization, Researcher
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing
from sti.library.choices import DigitizationState, DocumentStatus, TextMethod
from sti.library.models import Document, DocumentFile
from sti.market.choices import DemandStatus, TransferKind
from sti.market.models import Demand, Offer, Proposal, TransferContract
from sti.news.choices import ArticleStatus
from sti.news.models import Article, Category
from sti.projects.choices import (
    AcceptanceRating,
    CouncilKind,
    CouncilRole,
    EvaluationVerdict,
    PublicationKind,
    TaskStatus,
)
from sti.projects.models import (
    Acceptance,
    Council,
    CouncilMember,
    Evaluation,
    Publication,
    Task,
)
from sti.servicedesk.choices import ServiceKind
from sti.servicedesk.models import ServiceRequest
from sti.training.choices import CourseStatus, DeliveryKind, LearnerGender, RegistrationStatus
from sti.training.models import Course, Registration

YEARS = range(2019, 2026)


@dataclass
class World:
    # province of each organization: {org id: (before, after)}
    provinces: dict[int, tuple[str, str]] = field(default_factory=dict)
    active: set[int] = field(default_factory=set)
    orgs: list = field(default_factory=list)
    researchers: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    acceptances: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    publications: list[dict] = field(default_factory=list)
    filings: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    demands: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    contracts: list[dict] = field(default_factory=list)
    courses: list[dict] = field(default_factory=list)
    registrations: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)

    def in_area(self, org_id, admin_unit: str, scheme: str) -> bool:
        if not admin_unit:
            return True
        before, after = self.provinces.get(org_id, ("", ""))
        return (after if scheme == "2025" else before) == admin_unit


def _day(rng) -> dt.date:
    return dt.date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 23, 30))


@pytest.fixture
def world(db) -> World:
    rng = random.Random(16)
    w = World()
    old = {u.code: u for u in AdminUnit.objects.filter(version__is_current=False)}
    new = AdminUnit.objects.get(version__is_current=True, code="92")
    places = [
        (old["916"], ("92", "92")),  # a district of old Cần Thơ
        (old["930"], ("93", "92")),  # a town of old Hậu Giang
        (old["94"], ("94", "92")),  # old Sóc Trăng itself
        (new, ("", "92")),  # new Cần Thơ: no province before the merger
        (None, ("", "")),
    ]
    for i, (unit, provinces) in enumerate(places * 2):
        status = OrganizationStatus.DISSOLVED if i == 9 else OrganizationStatus.ACTIVE
        org = Organization.objects.create(
            name=f"Tổ chức KH&CN số {i} Đồng Tháp Mười",
            kind=rng.choice(OrganizationKind.values),
            admin_unit=unit,
            status=status,
        )
        w.orgs.append(org)
        w.provinces[org.pk] = provinces
        if status == OrganizationStatus.ACTIVE:
            w.active.add(org.pk)

    def org_or_none():
        return rng.choice([*w.orgs, None])

    people = []
    for i in range(40):
        org = org_or_none()
        person = Researcher.objects.create(
            full_name=f"Nguyễn Văn Đức {i}",
            organization=org,
            degree=rng.choice([*Degree.values, ""]),
            gender=rng.choice([*Gender.values, ""]),
        )
        people.append(person)
        w.researchers.append(
            {"org": org.pk if org else None, "degree": person.degree, "gender": person.gender}
        )

    levels = list(TaskLevel.objects.filter(version__is_current=True))
    tasks = []
    for i in range(60):
        org = rng.choice(w.orgs)
        start = _day(rng)
        end = start + dt.timedelta(days=rng.randint(100, 900))
        actual_end = rng.choice([None, end - dt.timedelta(days=30), end + dt.timedelta(days=60)])
        level = rng.choice([*levels, None])
        total = Decimal(rng.randint(0, 5000)) if rng.random() < 0.8 else None
        state = Decimal(rng.randint(0, 3000)) if rng.random() < 0.8 else None
        other = Decimal(rng.randint(0, 900)) if rng.random() < 0.8 else None
        task = Task.objects.create(
            title=f"Nghiên cứu giống lúa chịu mặn số {i}",
            host=org,
            level=level,
            status=rng.choice(TaskStatus.values),
            planned_start=start,
            planned_end=end,
            actual_end=actual_end,
            total_budget=total,
            state_budget=state,
            other_budget=other,
        )
        tasks.append(task)
        w.tasks.append(
            {
                "pk": task.pk,
                "org": org.pk,
                "level": level.code if level else "",
                "status": task.status,
                "start": start,
                "end": end,
                "actual_end": actual_end,
                "total": total or 0,
                "state": state or 0,
                "other": other or 0,
            }
        )
    for _ in range(30):
        task = rng.choice(tasks)
        day, rating = _day(rng), rng.choice(AcceptanceRating.values)
        Acceptance.objects.create(task=task, date=day, rating=rating)
        w.acceptances.append({"task": task.pk, "date": day, "rating": rating})
    for _ in range(12):
        task = rng.choice(tasks)
        council = Council.objects.create(task=task, kind=rng.choice(CouncilKind.values))
        for person in rng.sample(people, 3):
            member = CouncilMember.objects.create(
                council=council, researcher=person, role=rng.choice(CouncilRole.values)
            )
            day = _day(rng)
            Evaluation.objects.create(
                member=member, verdict=rng.choice(EvaluationVerdict.values), date=day
            )
            w.evaluations.append({"org": task.host_id, "kind": council.kind, "date": day})
    for i in range(40):
        task = rng.choice([*tasks, None])
        pub = Publication.objects.create(
            task=task,
            kind=rng.choice(PublicationKind.values),
            title=f"Công bố {i} về đất phèn",
            authors="Trần Thị Ánh",
            year=rng.choice(YEARS),
            in_wos=rng.random() < 0.3,
            in_scopus=rng.random() < 0.3,
        )
        w.publications.append(
            {
                "org": task.host_id if task else None,
                "kind": pub.kind,
                "year": pub.year,
                "intl": pub.in_wos or pub.in_scopus,
            }
        )
    for i in range(50):
        org = org_or_none()
        status = rng.choice(FilingStatus.values)
        filed = _day(rng) if rng.random() < 0.9 else None
        granted = None
        if status == FilingStatus.GRANTED and filed and rng.random() < 0.9:
            granted = filed + dt.timedelta(days=rng.randint(100, 700))
        Filing.objects.create(
            kind=rng.choice(IPKind.values),
            title=f"Quy trình nuôi tôm càng xanh {i}",
            applicant_organization=org,
            applicant_name="" if org else "Hộ ông Lê Văn Tư",
            status=status,
            filed_on=filed,
            granted_on=granted,
        )
        w.filings.append(
            {
                "org": org.pk if org else None,
                "kind": Filing.objects.order_by("-pk").values_list("kind", flat=True)[0],
                "status": status,
                "filed": filed,
                "granted": granted,
            }
        )
    for i in range(40):
        linked = rng.sample(w.orgs, rng.randint(0, 2))
        published_day = _day(rng)
        doc = Document.objects.create(
            title=f"Báo cáo tổng kết đề tài {i}",
            source_type="report",
            status=rng.choice([DocumentStatus.PUBLISHED] * 3 + [DocumentStatus.DRAFT]),
            digitization=rng.choice(DigitizationState.values),
            published_at=_moment(published_day) if rng.random() < 0.85 else None,
            deleted_at=timezone.now() if rng.random() < 0.1 else None,
        )
        doc.organizations.set(linked)
        created_day = _day(rng)
        Document.objects.filter(pk=doc.pk).update(created_at=_moment(created_day))
        text = ocr = False
        for j in range(rng.randint(0, 2)):
            chars = rng.choice([0, 1200])
            method = rng.choice([TextMethod.OCR, TextMethod.PDF_TEXT, TextMethod.NONE])
            DocumentFile.objects.create(
                document=doc,
                original_name=f"bao-cao-{i}-{j}.pdf",
                sha256=f"{i:032d}{j:032d}",
                size=1000,
                mime_type="application/pdf",
                char_count=chars,
                text_method=method,
            )
            text = text or chars > 0
            ocr = ocr or method == TextMethod.OCR
        w.documents.append(
            {
                "orgs": {o.pk for o in linked},
                "status": doc.status,
                "digitization": doc.digitization,
                "published": published_day if doc.published_at else None,
                "created": created_day,
                "deleted": doc.deleted_at is not None,
                "text": text,
                "ocr": ocr,
            }
        )
    offers = [
        Offer.objects.create(title=f"Máy sấy lúa {i}", summary="Máy sấy tiết kiệm điện")
        for i in range(4)
    ]
    demands = []
    for i in range(20):
        org = org_or_none()
        demand = Demand.objects.create(
            title=f"Cần công nghệ xử lý nước thải ao nuôi {i}",
            description="Nước ao bị đục",
            organization=org,
            requester_name="" if org else "Hợp tác xã Tân Phú",
            state=rng.choice(DemandStatus.values),
        )
        day = _day(rng)
        Demand.objects.filter(pk=demand.pk).update(created_at=_moment(day))
        demands.append(demand)
        w.demands.append({"org": org.pk if org else None, "state": demand.state, "date": day})
    for demand, record in zip(demands, w.demands, strict=True):
        for offer in rng.sample(offers, rng.randint(0, 2)):
            proposal = Proposal.objects.create(demand=demand, offer=offer)
            day = _day(rng)
            Proposal.objects.filter(pk=proposal.pk).update(created_at=_moment(day))
            w.proposals.append({"org": record["org"], "date": day})
    for i in range(25):
        giver, taker = org_or_none(), org_or_none()
        contract = TransferContract.objects.create(
            title=f"Hợp đồng chuyển giao quy trình {i}",
            transferor_organization=giver,
            transferor_name="" if giver else "Ông Trần Văn Bảy",
            transferee_organization=taker,
            transferee_name="" if taker else "Bà Lý Thị Tám",
            kind=rng.choice(TransferKind.values),
            value_vnd=rng.randint(0, 900) * 1_000_000,
            signed_on=_day(rng),
        )
        w.contracts.append(
            {
                "orgs": {o.pk for o in (giver, taker) if o},
                "kind": contract.kind,
                "value": contract.value_vnd,
                "date": contract.signed_on,
            }
        )
    for i in range(15):
        org = rng.choice(w.orgs)
        start = _day(rng) if rng.random() < 0.9 else None
        course = Course.objects.create(
            title=f"Tập huấn sở hữu trí tuệ {i}",
            organizer=org,
            capacity=30,
            status=rng.choice(CourseStatus.values),
            delivery=rng.choice(DeliveryKind.values),
            starts_on=start,
        )
        record = {"org": org.pk, "status": course.status, "delivery": course.delivery}
        w.courses.append({**record, "start": start})
        for j in range(rng.randint(0, 6)):
            status = rng.choice(RegistrationStatus.values)
            gender = rng.choice(LearnerGender.values)
            Registration.objects.create(
                course=course,
                full_name=f"Học viên {i}-{j}",
                email=f"hocvien{i}{j}@example.vn",
                status=status,
                gender=gender,
            )
            w.registrations.append(
                {"course": len(w.courses) - 1, "status": status, "gender": gender}
            )
    for i in range(20):
        day = _day(rng)
        ServiceRequest.objects.create(
            reference=f"YC-{i}",
            year=day.year,
            number=i + 1,
            kind=rng.choice(ServiceKind.values),
            subject=f"Tìm tài liệu về cây có múi {i}",
            description="Cần tài liệu",
            requester_name="Phan Thị Út",
            requester_email="ut@example.vn",
            due_on=day,
            received_at=_moment(day),
        )
        w.requests.append(
            {"kind": ServiceRequest.objects.get(reference=f"YC-{i}").kind, "date": day}
        )
    categories = [
        Category.objects.create(name="Hoạt động KH&CN", slug="hoat-dong", order=1),
        Category.objects.create(name="Đổi mới sáng tạo", slug="doi-moi", order=2),
    ]
    for i in range(20):
        org = rng.choice(w.orgs)
        category = rng.choice([*categories, None])
        status = rng.choice([ArticleStatus.PUBLISHED, ArticleStatus.PUBLISHED, ArticleStatus.DRAFT])
        day = _day(rng)
        Article.objects.create(
            title=f"Tin hội thảo nông nghiệp xanh {i}",
            body="Nội dung",
            organization=org,
            category=category,
            status=status,
            publish_at=_moment(day),
        )
        w.articles.append(
            {
                "org": org.pk,
                "category": category.slug if category else "",
                "status": status,
                "date": day,
            }
        )
    return w
