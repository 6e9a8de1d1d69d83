"""Sample data of the training app: twelve courses over three years (seed 003: "12 lớp tập
huấn với sự tham dự của 549 học viên"), with their learners, waiting lists, attendance and
certificates.

`load_sample(log)` is idempotent: a course is looked up by its title. The records are
historical (registrations of courses long finished), which the workflows cannot produce, so
they are written directly; the open course of the coming month is full, with a waiting list, and a draft of Trường Đại
học Tây Đô is seen only by its reporters and editors (the search-access matrix picks the
organization owning the most restricted records: the draft joins its restricted task).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from sti.core.models import FieldOfScience
from sti.core.text import fold_lower
from sti.directory.choices import OrganizationKind
from sti.directory.models import Organization, Researcher
from sti.training.choices import CourseStatus, DeliveryKind, LearnerGender, RegistrationStatus
from sti.training.models import (
    Attendance,
    Certificate,
    Course,
    CourseSession,
    Registration,
    Trainer,
)
from sti.training.services import new_certificate_code

SEED = 3

# (title, organizer, fields, audience, place, delivery, start, sessions, capacity, learners,
#  trainers as (researcher name or None, name, affiliation), fee, description)
SO = "Sở Khoa học và Công nghệ TP. Cần Thơ"
TDC = "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Cần Thơ"
UD = "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ"
TAYDO = "Trường Đại học Tây Đô"
VUON = "Vườn ươm Công nghệ Công nghiệp Việt Nam – Hàn Quốc"
HALL = "Hội trường Sở Khoa học và Công nghệ, 02 Lý Thường Kiệt, Ninh Kiều, Cần Thơ"

COURSES = [
    (
        "Tập huấn xác lập và bảo hộ quyền sở hữu trí tuệ cho doanh nghiệp",
        SO,
        ["5"],
        "Doanh nghiệp, hợp tác xã, cơ sở sản xuất kinh doanh",
        HALL,
        DeliveryKind.ONSITE,
        "2024-03-14",
        2,
        60,
        52,
        [(None, "ThS. Lê Thị Mỹ Hạnh", "Cục Sở hữu trí tuệ – Văn phòng đại diện TP. Hồ Chí Minh")],
        None,
        "Nhãn hiệu, kiểu dáng công nghiệp, sáng chế và giải pháp hữu ích: thủ tục đăng ký, "
        "tra cứu trước khi nộp đơn, xử lý xâm phạm; chỉ dẫn địa lý và nhãn hiệu tập thể cho "
        "đặc sản địa phương.",
    ),
    (
        "Kỹ năng tìm kiếm và khai thác thông tin KH&CN cho cán bộ thông tin cơ sở",
        SO,
        ["5"],
        "Cán bộ thông tin KH&CN của các sở, ngành, quận, huyện",
        "Phòng máy Trung tâm Thông tin KH&CN, 02 Lý Thường Kiệt, Ninh Kiều",
        DeliveryKind.ONSITE,
        "2024-05-21",
        3,
        45,
        45,
        [(None, "ThS. Nguyễn Thị Thu Trang", "Cục Thông tin KH&CN quốc gia")],
        None,
        "Cơ sở dữ liệu nhiệm vụ KH&CN, tài liệu sáng chế, tạp chí khoa học truy cập mở; chiến "
        "lược tìm kiếm, toán tử logic, quản lý trích dẫn và lập bản tin chọn lọc.",
    ),
    (
        "Áp dụng VietGAP trong trồng trọt và truy xuất nguồn gốc nông sản",
        UD,
        ["4"],
        "Nông dân, tổ hợp tác, hợp tác xã nông nghiệp",
        "Hội trường UBND xã Phong Điền, TP. Cần Thơ",
        DeliveryKind.ONSITE,
        "2024-08-06",
        3,
        70,
        60,
        [("Nguyễn Văn Hòa", "", "")],
        None,
        "Tiêu chuẩn TCVN 11892-1:2017, ghi chép nhật ký sản xuất, đánh giá nội bộ, chuẩn bị "
        "hồ sơ chứng nhận; mã số vùng trồng và tem truy xuất nguồn gốc.",
    ),
    (
        "Chuyển giao công nghệ và định giá kết quả nghiên cứu",
        VUON,
        ["5"],
        "Nhà khoa học, viện, trường, doanh nghiệp khởi nghiệp",
        "Vườn ươm Công nghệ Công nghiệp Việt Nam – Hàn Quốc, Khu công nghiệp Trà Nóc",
        DeliveryKind.BLENDED,
        "2024-10-15",
        2,
        40,
        38,
        [(None, "TS. Trần Quốc Bảo", "Văn phòng Chuyển giao công nghệ – Đại học Cần Thơ")],
        "500000",
        "Hợp đồng chuyển giao công nghệ theo Luật Chuyển giao công nghệ 2017, định giá công "
        "nghệ, thương mại hóa kết quả nghiên cứu sử dụng ngân sách nhà nước.",
    ),
    (
        "Hệ thống quản lý chất lượng ISO 9001:2015 cho doanh nghiệp nhỏ và vừa",
        TDC,
        ["2"],
        "Doanh nghiệp nhỏ và vừa, cơ sở sản xuất",
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Cần Thơ, 45 đường 3/2, Ninh Kiều",
        DeliveryKind.ONSITE,
        "2025-03-11",
        3,
        60,
        55,
        [(None, "ThS. Phạm Hoàng Nam", "Trung tâm Kỹ thuật TĐC Cần Thơ")],
        "800000",
        "Yêu cầu của tiêu chuẩn, tiếp cận theo quá trình, tư duy dựa trên rủi ro, đánh giá nội "
        "bộ và chuẩn bị chứng nhận.",
    ),
    (
        "Chuyển đổi số trong quản lý nhiệm vụ khoa học và công nghệ",
        SO,
        ["1"],
        "Cán bộ quản lý KH&CN của các sở, ngành, viện, trường",
        "",
        DeliveryKind.ONLINE,
        "2025-05-20",
        2,
        80,
        47,
        [("Trần Thị Thanh Hương", "", "")],
        None,
        "Hồ sơ điện tử, đề xuất và tra trùng trực tuyến, đăng ký kết quả, khai thác cơ sở dữ "
        "liệu nhiệm vụ KH&CN của thành phố.",
    ),
    (
        "Mã số mã vạch và truy xuất nguồn gốc sản phẩm hàng hóa",
        TDC,
        ["2"],
        "Doanh nghiệp, hợp tác xã có sản phẩm OCOP",
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Cần Thơ, 45 đường 3/2, Ninh Kiều",
        DeliveryKind.ONSITE,
        "2025-08-12",
        2,
        50,
        50,
        [(None, "KS. Đỗ Minh Tâm", "Trung tâm Mã số mã vạch quốc gia")],
        None,
        "Đăng ký và sử dụng mã GS1, mã QR truy xuất, kết nối cổng truy xuất nguồn gốc quốc gia.",
    ),
    (
        "Nuôi tôm càng xanh toàn khối trên ruộng lúa ứng dụng công nghệ sinh học",
        UD,
        ["4"],
        "Hộ nuôi trồng thủy sản, hợp tác xã",
        "Trại thực nghiệm Trung tâm Ứng dụng tiến bộ KH&CN, Ô Môn",
        DeliveryKind.ONSITE,
        "2025-10-07",
        4,
        70,
        63,
        [("Lê Quốc Việt", "", ""), (None, "KS. Huỳnh Văn Út", "Trung tâm Ứng dụng tiến bộ KH&CN")],
        None,
        "Chọn giống, chế phẩm vi sinh xử lý môi trường ao, quản lý dịch bệnh và mô hình lúa – "
        "tôm bền vững thích ứng với xâm nhập mặn.",
    ),
    (
        "Khởi nghiệp đổi mới sáng tạo: từ ý tưởng đến mô hình kinh doanh",
        VUON,
        ["5"],
        "Sinh viên, doanh nghiệp khởi nghiệp, nhóm nghiên cứu",
        "Vườn ươm Công nghệ Công nghiệp Việt Nam – Hàn Quốc, Khu công nghiệp Trà Nóc",
        DeliveryKind.ONSITE,
        "2026-03-17",
        3,
        45,
        41,
        [(None, "ThS. Võ Thanh Tùng", "Vườn ươm Công nghệ Công nghiệp Việt Nam – Hàn Quốc")],
        None,
        "Kiểm chứng ý tưởng, mô hình kinh doanh tinh gọn, gọi vốn, bảo hộ tài sản trí tuệ của "
        "doanh nghiệp khởi nghiệp.",
    ),
    (
        "Ứng dụng trí tuệ nhân tạo trong khai thác thông tin khoa học",
        SO,
        ["1"],
        "Cán bộ thông tin, thư viện, nhà khoa học trẻ",
        "",
        DeliveryKind.ONLINE,
        "2026-06-09",
        2,
        80,
        68,
        [("Phạm Thị Ngọc Trâm", "", "")],
        None,
        "Công cụ tìm kiếm ngữ nghĩa, tóm tắt tài liệu, kiểm chứng thông tin và liêm chính "
        "khoa học khi dùng trí tuệ nhân tạo tạo sinh.",
    ),
    (
        "Đo lường và kiểm định phương tiện đo trong thương mại bán lẻ",
        TDC,
        ["2"],
        "Cơ sở kinh doanh xăng dầu, chợ, siêu thị",
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Cần Thơ, 45 đường 3/2, Ninh Kiều",
        DeliveryKind.ONSITE,
        "2026-12-08",
        2,
        30,
        30,
        [(None, "KS. Trương Công Định", "Chi cục Tiêu chuẩn Đo lường Chất lượng Cần Thơ")],
        None,
        "Quy định về đo lường trong thương mại bán lẻ, kiểm định cân, cột đo xăng dầu, xử lý "
        "vi phạm hành chính về đo lường.",
    ),
    (
        "Viết và công bố bài báo khoa học trên tạp chí quốc tế",
        TAYDO,
        ["1"],
        "Giảng viên, nghiên cứu sinh, nhà khoa học trẻ",
        "Hội trường Trường Đại học Tây Đô, 68 Trần Chiên, Cái Răng, Cần Thơ",
        DeliveryKind.ONSITE,
        "2027-01-12",
        3,
        50,
        0,
        [("Đặng Hữu Tín", "", "")],
        None,
        "Cấu trúc bài báo IMRaD, chọn tạp chí, phản hồi phản biện, tránh tạp chí săn mồi.",
    ),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Châu",
    "Lâm",
    "Tô",
]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Đức", "Hoàng"]
MIDDLE_F = ["Thị", "Ngọc", "Thị Kim", "Thanh", "Thị Mỹ", "Bích", "Thị Thu"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hiếu",
    "Khang",
    "Lộc",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Trí",
    "Tuấn",
    "Vinh",
    "Nghĩa",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Diễm",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Phương",
    "Quyên",
    "Thảo",
    "Trâm",
    "Trinh",
    "Uyên",
    "Vy",
    "Yến",
]
UNITS = [
    ("Trường Đại học Cần Thơ", OrganizationKind.UNIVERSITY),
    ("Trường Đại học Tây Đô", OrganizationKind.UNIVERSITY),
    ("Viện Lúa Đồng bằng sông Cửu Long", OrganizationKind.INSTITUTE),
    ("Sở Nông nghiệp và Môi trường TP. Cần Thơ", OrganizationKind.STATE_AGENCY),
    ("UBND xã Phong Điền", OrganizationKind.STATE_AGENCY),
    ("UBND phường Ninh Kiều", OrganizationKind.STATE_AGENCY),
    ("Trung tâm Khuyến nông TP. Cần Thơ", OrganizationKind.PUBLIC_SERVICE),
    ("Công ty TNHH Chế biến Nông sản Phong Điền", OrganizationKind.ENTERPRISE),
    ("Công ty CP Thủy sản Hậu Giang Xanh", OrganizationKind.ENTERPRISE),
    ("Công ty TNHH Gạo sạch Cờ Đỏ", OrganizationKind.ENTERPRISE),
    ("Công ty CP Dược phẩm Tây Nam", OrganizationKind.ENTERPRISE),
    ("HTX Nông nghiệp Mỹ Xuyên", OrganizationKind.COOPERATIVE),
    ("HTX Rau an toàn Long Tuyền", OrganizationKind.COOPERATIVE),
    ("Hội Nông dân huyện Thới Lai", OrganizationKind.ASSOCIATION),
    ("Bệnh viện Đa khoa Trung ương Cần Thơ", OrganizationKind.HOSPITAL),
    ("", ""),
]


def _person(rng: random.Random, number: int) -> dict:
    female = rng.random() < 0.46
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    name = f"{rng.choice(FAMILY)} {middle} {given}"
    gender_roll = rng.random()
    if gender_roll < 0.07:
        gender = LearnerGender.UNSTATED
    elif gender_roll < 0.15:
        gender = ""
    else:
        gender = LearnerGender.FEMALE if female else LearnerGender.MALE
    unit, kind = rng.choice(UNITS)
    local = fold_lower(name).replace(" ", ".")
    return {
        "full_name": name,
        "email": f"{local}.{number}@vidu.vn",
        "phone": f"09{rng.randint(10000000, 99999999)}",
        "organization_name": unit,
        "organization_kind": kind,
        "gender": gender,
    }


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _status_for(start, today) -> str:
    return CourseStatus.OPEN if start > today else CourseStatus.FINISHED


@transaction.atomic
def _load_course(item, rng, today, organizations, researchers, number) -> tuple[int, int]:
    (
        title,
        organizer,
        fields,
        audience,
        place,
        delivery,
        start,
        session_count,
        capacity,
        learners,
        trainers,
        fee,
        description,
    ) = item
    start = datetime.strptime(start, "%Y-%m-%d").date()
    # A course planned without learners stays a draft, whenever the demo is loaded.
    status = _status_for(start, today) if learners else CourseStatus.DRAFT
    course = Course.objects.create(
        title=title,
        organizer=organizations[organizer],
        description=description,
        audience=audience,
        delivery=delivery,
        place=place,
        online_url="https://meet.jit.si/sti-cantho-dao-tao" if delivery != "onsite" else "",
        capacity=capacity,
        has_waiting_list=True,
        registration_opens=_at(start - timedelta(days=40), 8),
        registration_closes=_at(start - timedelta(days=2), 17),
        fee=fee,
        status=status,
    )
    course.fields.set(FieldOfScience.objects.current().filter(code__in=fields))
    for order, (researcher, name, affiliation) in enumerate(trainers):
        Trainer.objects.create(
            course=course,
            order=order,
            researcher=researchers.get(researcher) if researcher else None,
            name=name if not researcher or researcher not in researchers else "",
            affiliation=affiliation,
        )
    sessions = []
    for index in range(session_count):
        day = start + timedelta(days=index)
        morning = index % 2 == 0
        sessions.append(
            CourseSession.objects.create(
                course=course,
                starts_at=_at(day, 8 if morning else 13),
                ends_at=_at(day, 11 if morning else 16),
                topic=f"Chuyên đề {index + 1}",
            )
        )
    course.starts_on = start
    course.ends_on = start + timedelta(days=session_count - 1)
    course.save(update_fields=["starts_on", "ends_on"])
    # Learners; an open course is full with four on its waiting list, and past courses
    # had a few cancellations.
    waiting = 4 if status == CourseStatus.OPEN else 0
    cancelled = 0 if status == CourseStatus.OPEN or not learners else rng.randint(1, 3)
    rows = []
    for index in range(learners + waiting + cancelled):
        if index < learners:
            state = RegistrationStatus.CONFIRMED
        elif index < learners + waiting:
            state = RegistrationStatus.WAITING
        else:
            state = RegistrationStatus.CANCELLED
        rows.append(Registration(course=course, status=state, **_person(rng, number + index)))
    made = Registration.objects.bulk_create(rows)
    Registration.objects.filter(course=course).update(
        created_at=course.registration_opens + timedelta(days=3)
    )
    certificates = 0
    if status == CourseStatus.FINISHED:
        needed = session_count
        attendance = []
        serial = 0
        for registration in made:
            if registration.status != RegistrationStatus.CONFIRMED:
                continue
            present = [s for s in sessions if rng.random() < 0.93]
            attendance += [Attendance(registration=registration, session=s) for s in present]
            if len(present) >= needed:
                serial += 1
                Certificate.objects.create(
                    registration=registration,
                    code=new_certificate_code(),
                    number=f"{course.ends_on.year}/{course.pk:04d}-{serial:04d}",
                    holder_name=registration.full_name,
                    issued_on=course.ends_on,
                    sessions_attended=len(present),
                )
                certificates += 1
        Attendance.objects.bulk_create(attendance)
    return learners, certificates


def load_sample(log) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    organizations = {
        o.name: o for o in Organization.objects.filter(name__in={item[1] for item in COURSES})
    }
    researchers = {r.full_name: r for r in Researcher.objects.filter(is_expert=True)}
    created = learners = certificates = 0
    for number, item in enumerate(COURSES):
        if Course.objects.filter(title=item[0]).exists() or item[1] not in organizations:
            continue
        counts = _load_course(item, rng, today, organizations, researchers, number * 100)
        created += 1
        learners += counts[0]
        certificates += counts[1]
    log(
        f"  đào tạo: thêm {created} khóa học ({learners} học viên, {certificates} chứng nhận);"
        f" đã có {len(COURSES) - created} khóa học"
    )
