"""Sample data of the directory.

`load_sample(log)`: the real Cần Thơ S&T organizations of DOMAIN.md §5 (three fictional
firms marked †), about forty invented researchers whose expertise matches the sample tasks,
and two reporter accounts. Idempotent: records are looked up by natural keys.

`generate(scale, seed, progress)`: `sti generate` — synthetic organizations (~scale/20) and
researchers (the rest), written in bulk.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from sti.core.models import AdminUnit, FieldOfScience
from sti.directory import services
from sti.directory.choices import OrganizationKind
from sti.directory.models import Organization, Researcher

SAMPLE_NOTE = "Dữ liệu mẫu"
SAMPLE_FILE = Path(__file__).parent / "data" / "sample.json"


def sample_data() -> dict:
    """Organizations, researchers and reporter accounts of the sample (a data file)."""
    return json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))


def _fields(codes) -> list[FieldOfScience]:
    return list(FieldOfScience.objects.current().filter(code__in=codes))


def load_sample(log) -> None:
    data = sample_data()
    units = {unit.code: unit for unit in AdminUnit.objects.filter(version__version="2024")}
    organizations = {}
    created = 0
    for item in data["organizations"]:
        organization = Organization.objects.filter(name=item["name"]).first()
        if organization is None:
            description = item["description"]
            if item["founded"]:
                description = f"{description} Thành lập năm {item['founded']}.".strip()
            organization = services.create_organization(
                actor=None,
                data={
                    **{
                        key: item[key]
                        for key in (
                            "name",
                            "abbreviation",
                            "name_en",
                            "kind",
                            "sector",
                            "address",
                            "phone",
                            "website",
                            "founding_authority",
                        )
                    },
                    "admin_unit": units.get(item["admin_unit"]),
                    "description": description,
                },
                fields=_fields(item["fields"]),
                note=SAMPLE_NOTE,
            )
            created += 1
        organizations[item["name"]] = organization
        if item["abbreviation"]:
            organizations[item["abbreviation"]] = organization
    people = 0
    people_found = 0
    for item in data["researchers"]:
        organization = organizations[item["organization"]]
        if Researcher.objects.filter(
            full_name=item["full_name"], organization=organization
        ).exists():
            people_found += 1
            continue
        services.create_researcher(
            actor=None,
            data={
                **{
                    key: item[key]
                    for key in (
                        "full_name",
                        "gender",
                        "birth_year",
                        "degree",
                        "academic_title",
                        "position",
                        "expertise",
                        "is_public",
                        "is_expert",
                    )
                },
                "organization": organization,
                "bio": _bio(
                    item["full_name"], item["position"], organization.name, item["expertise"]
                ),
            },
            fields=_fields(item["fields"]),
            note=SAMPLE_NOTE,
        )
        people += 1
    reporters = _reporters(data["reporters"], organizations)
    log(
        f"  danh bạ: thêm {created} tổ chức, {people} nhà khoa học, {reporters} tài khoản báo cáo; "
        f"đã có {len(data['organizations']) - created} tổ chức, {people_found} nhà khoa học, "
        f"{len(data['reporters']) - reporters} tài khoản báo cáo"
    )


def _bio(full_name: str, position: str, organization: str, expertise: str) -> str:
    return (
        f"{full_name} hiện là {position[0].lower() + position[1:]} tại {organization}. "
        f"Hướng nghiên cứu chính: {expertise}. Đã chủ nhiệm và tham gia nhiều đề tài, dự án KH&CN "
        f"cấp thành phố và cấp cơ sở trên địa bàn Cần Thơ và Đồng bằng sông Cửu Long."
    )


def _reporters(reporters: list[dict], organizations: dict) -> int:
    """Create the reporter accounts that are missing; the number created."""
    from sti.accounts.choices import MembershipRole
    from sti.accounts.models import Membership, User

    added = 0
    for item in reporters:
        username, password = item["username"], item["password"]
        full_name, organization_name = item["full_name"], item["organization"]
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": f"{username}@example.vn"}
        )
        if created:
            user.set_password(password)
            user.save()
            added += 1
        Membership.objects.get_or_create(
            user=user,
            organization=organizations[organization_name],
            defaults={"role": MembershipRole.REPORTER},
        )
    return added


# ---------------------------------------------------------------------------
# `sti generate`: synthetic records in bulk
# ---------------------------------------------------------------------------
KIND_BY_PREFIX = [
    ("Trường Đại học", OrganizationKind.UNIVERSITY, "state"),
    ("Viện", OrganizationKind.INSTITUTE, "state"),
    ("Trung tâm", OrganizationKind.PUBLIC_SERVICE, "state"),
    ("Bệnh viện", OrganizationKind.HOSPITAL, "state"),
    ("Công ty", OrganizationKind.ENTERPRISE, "non_state"),
    ("Hợp tác xã", OrganizationKind.COOPERATIVE, "non_state"),
]
STREETS = [
    "Nguyễn Văn Cừ",
    "Trần Hưng Đạo",
    "đường 3/2",
    "Mậu Thân",
    "Nguyễn Văn Linh",
    "Hùng Vương",
    "Lý Tự Trọng",
    "Võ Văn Kiệt",
    "Cách Mạng Tháng Tám",
    "Trần Phú",
    "Lê Hồng Phong",
    "Quang Trung",
]
POSITIONS = [
    "Giảng viên",
    "Giảng viên chính",
    "Nghiên cứu viên",
    "Nghiên cứu viên chính",
    "Trưởng bộ môn",
    "Trưởng phòng",
    "Phó Giám đốc",
    "Kỹ sư",
    "Bác sĩ",
    "Chuyên viên",
]
KEYWORDS = [
    "lúa chịu mặn",
    "chọn tạo giống lúa",
    "tôm thẻ chân trắng",
    "cá tra",
    "bệnh thủy sản",
    "bảo quản sau thu hoạch",
    "chế biến thực phẩm",
    "sấy nông sản",
    "IoT",
    "trí tuệ nhân tạo",
    "quan trắc môi trường",
    "biến đổi khí hậu",
    "xâm nhập mặn",
    "sạt lở bờ sông",
    "y tế cộng đồng",
    "đái tháo đường",
    "kháng kháng sinh",
    "dược liệu",
    "công nghệ sinh học",
    "chế phẩm vi sinh",
    "phân hữu cơ",
    "cây ăn trái",
    "nuôi cấy mô",
    "kinh tế nông nghiệp",
    "chuỗi giá trị",
    "khởi nghiệp đổi mới sáng tạo",
    "năng lượng tái tạo",
    "vật liệu xây dựng",
    "cơ khí chế tạo",
    "bao bì sinh học",
    "an toàn thực phẩm",
    "thú y",
    "chăn nuôi",
    "thủy lợi",
    "giáo dục",
]
DEGREES = [("TS", 35), ("ThS", 45), ("ĐH", 15), ("CĐ", 5)]


def generate(scale: int, seed: int, progress: Callable[[str, int], Callable[[int], None]]) -> dict:
    """Create ~scale/20 organizations and researchers for the rest; returns counts."""
    from sti.core.synthetic import SyntheticText

    text = SyntheticText(seed)
    rng = random.Random(seed)
    field_pks = dict(FieldOfScience.objects.current().values_list("code", "pk"))
    codes = [code for code in field_pks if len(code) == 3]
    organization_count = max(1, scale // 20)
    researcher_count = max(0, scale - organization_count)

    taken = set(Organization.objects.exclude(identifier="").values_list("identifier", flat=True))
    organization_ids: list[int] = []
    advance = progress("Tổ chức", organization_count)
    for start in range(0, organization_count, 1000):
        batch, batch_fields = [], []
        for _ in range(min(1000, organization_count - start)):
            name = text.organization_name()
            kind, sector = next(
                (
                    (kind, sector)
                    for prefix, kind, sector in KIND_BY_PREFIX
                    if name.startswith(prefix)
                ),
                (OrganizationKind.OTHER, "state"),
            )
            identifier = _identifier(rng, taken)
            place = text.place()
            organization = Organization(
                name=name,
                kind=kind,
                sector=sector,
                identifier=identifier,
                abbreviation="".join(word[0] for word in name.split() if word[0].isupper())[:12],
                address=f"{rng.randint(1, 400)} {rng.choice(STREETS)}, {place}, TP. Cần Thơ",
                description=text.abstract(60),
            )
            organization.refresh_folded()
            batch.append(organization)
            batch_fields.append(rng.sample(codes, k=rng.randint(1, 3)))
        with transaction.atomic():
            Organization.objects.bulk_create(batch)
            Organization.fields.through.objects.bulk_create(
                Organization.fields.through(
                    organization_id=organization.pk, fieldofscience_id=field_pks[code]
                )
                for organization, chosen in zip(batch, batch_fields, strict=True)
                for code in chosen
            )
        organization_ids.extend(organization.pk for organization in batch)
        advance(len(batch))

    advance = progress("Nhà khoa học", researcher_count)
    degrees, weights = zip(*DEGREES, strict=True)
    for start in range(0, researcher_count, 2000):
        batch, batch_fields = [], []
        for _ in range(min(2000, researcher_count - start)):
            full_name, gender = text.person_name()
            degree = rng.choices(degrees, weights)[0]
            title = ""
            if degree == "TS":
                roll = rng.random()
                title = "GS" if roll < 0.04 else "PGS" if roll < 0.2 else ""
            person = Researcher(
                full_name=full_name,
                gender=gender,
                birth_year=rng.randint(1955, 1998),
                degree=degree,
                academic_title=title,
                position=rng.choice(POSITIONS),
                organization_id=rng.choice(organization_ids) if organization_ids else None,
                expertise=", ".join(rng.sample(KEYWORDS, k=rng.randint(2, 4))),
                bio=text.abstract(50),
                is_public=rng.random() < 0.85,
                is_expert=rng.random() < 0.15,
            )
            person.refresh_folded()
            batch.append(person)
            batch_fields.append(rng.sample(codes, k=rng.randint(1, 2)))
        with transaction.atomic():
            Researcher.objects.bulk_create(batch)
            Researcher.fields.through.objects.bulk_create(
                Researcher.fields.through(
                    researcher_id=person.pk, fieldofscience_id=field_pks[code]
                )
                for person, chosen in zip(batch, batch_fields, strict=True)
                for code in chosen
            )
        advance(len(batch))
    return {"organizations": organization_count, "researchers": researcher_count}


def _identifier(rng: random.Random, taken: set[str]) -> str:
    """A 10-digit tax-code-like identifier (Cần Thơ codes start with 18), unique in the DB."""
    while True:
        identifier = f"18{rng.randrange(10**8):08d}"
        if identifier not in taken:
            taken.add(identifier)
            return identifier
