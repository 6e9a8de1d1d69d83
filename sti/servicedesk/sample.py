"""Sample service requests for the demo: fifteen requests from Cần Thơ firms, cooperatives,
farmers and schools, in every state, with messages, internal notes, answers linked to
sample records, and ratings.

`load_sample(log)` is idempotent (a request is looked up by subject and e-mail). Requests go
through the services, as they would on the site; their dates are then spread over the past
months so the statistics have something to show. No e-mail is sent while loading.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sti.accounts.models import User
from sti.servicedesk import services
from sti.servicedesk.choices import RequestStatus as S
from sti.servicedesk.choices import ServiceKind as K
from sti.servicedesk.models import InternalNote, Message, ServiceRequest, standard_days

# (kind, subject, description, name, organization, phone, e-mail, account,
#  final state, received days ago, days to answer, rating, comment,
#  [messages: (from requester, text)], [internal notes], answer, [links: (model, title words)])
REQUESTS = [
    (
        K.INFORMATION,
        "Tài liệu kỹ thuật canh tác lúa ST25 trên đất nhiễm mặn",
        "HTX cần quy trình canh tác lúa ST25 thích ứng nhiễm mặn cho 120 ha ở Thới Lai, gồm lịch thời vụ và cách rửa mặn đầu vụ.",
        "Nguyễn Văn Tư",
        "HTX Nông nghiệp Thới Thạnh",
        "0907 112 233",
        "htxthoithanh@example.vn",
        "",
        S.CLOSED,
        230,
        5,
        5,
        "Tài liệu rất thiết thực, bà con áp dụng được ngay.",
        [
            (False, "Xin cho biết độ mặn đo được ở ruộng vào tháng 2."),
            (True, "Khoảng 3–4‰ ở kênh nội đồng."),
        ],
        ["Đã gửi kèm tài liệu thư viện số; khách hàng quen của Trung tâm."],
        "Trung tâm gửi quy trình canh tác lúa ST25 trên đất nhiễm mặn nhẹ (dưới 4‰), lịch xuống giống vụ Đông Xuân và hướng dẫn rửa mặn; kèm các tài liệu liên quan trong thư viện số.",
        [("library.document", "lúa"), ("directory.organization", "Lúa")],
    ),
    (
        K.TECHNOLOGY,
        "Tìm công nghệ sấy chuối bằng năng lượng mặt trời",
        "Cơ sở chế biến cần công nghệ sấy 500 kg chuối tươi/ngày, chi phí đầu tư dưới 300 triệu đồng, giữ màu sản phẩm.",
        "Trần Thị Hoa",
        "Cơ sở chế biến Hoa Phong Điền",
        "0939 456 789",
        "hoaphongdien@example.vn",
        "",
        S.CLOSED,
        200,
        12,
        4,
        "Đã liên hệ được đơn vị chuyển giao.",
        [],
        ["Liên hệ Viện Cơ điện NN & CN sau thu hoạch để xin báo giá."],
        "Trung tâm giới thiệu hai giải pháp sấy kết hợp năng lượng mặt trời – nhiệt bổ sung đã được chuyển giao ở ĐBSCL, kèm thông tin đơn vị chuyển giao và chuyên gia tư vấn.",
        [("directory.researcher", ""), ("projects.task", "sấy")],
    ),
    (
        K.INTELLECTUAL_PROPERTY,
        "Hướng dẫn đăng ký nhãn hiệu tập thể gạo Cờ Đỏ",
        "Hội nông dân xã muốn đăng ký nhãn hiệu tập thể cho gạo thơm Cờ Đỏ; cần biết hồ sơ, lệ phí và thời gian.",
        "Lê Văn Sang",
        "Hội Nông dân xã Cờ Đỏ",
        "0918 223 344",
        "hndcodo@example.vn",
        "",
        S.CLOSED,
        180,
        8,
        5,
        "Hướng dẫn rõ ràng, cảm ơn Trung tâm.",
        [],
        ["Nhắc khách chuẩn bị quy chế sử dụng nhãn hiệu."],
        "Hồ sơ đăng ký nhãn hiệu tập thể gồm: tờ khai, mẫu nhãn hiệu, quy chế sử dụng nhãn hiệu tập thể, bản thuyết minh… Trung tâm gửi kèm mẫu quy chế và hướng dẫn nộp trực tuyến.",
        [],
    ),
    (
        K.STANDARDS,
        "Công bố hợp quy phân bón hữu cơ vi sinh",
        "HTX sản xuất phân hữu cơ vi sinh từ bã bùn mía, cần hướng dẫn công bố hợp quy theo QCVN 01-189:2019/BNNPTNT.",
        "Lâm Văn Phúc",
        "HTX Phúc Lộc, Vĩnh Thạnh",
        "0945 667 788",
        "phucloc@example.vn",
        "",
        S.CLOSED,
        160,
        14,
        3,
        "Trả lời hơi chậm so với mong muốn.",
        [
            (False, "Xin gửi phiếu kết quả thử nghiệm gần nhất."),
            (True, "Đã gửi bản chụp phiếu thử nghiệm."),
        ],
        ["Trả lời trễ hạn 4 ngày do chờ phiếu thử nghiệm."],
        "Trình tự công bố hợp quy: đánh giá sự phù hợp bởi tổ chức chứng nhận được chỉ định, lập hồ sơ công bố, nộp tại Sở Nông nghiệp và Môi trường; Trung tâm gửi danh sách tổ chức chứng nhận.",
        [],
    ),
    (
        K.CONSULTING,
        "Tư vấn xây dựng phòng thí nghiệm vi sinh cho trường THPT",
        "Trường muốn xây dựng phòng thực hành vi sinh cho câu lạc bộ STEM, cần danh mục thiết bị tối thiểu và lưu ý an toàn sinh học.",
        "Phạm Thị Thu",
        "Trường THPT Châu Văn Liêm",
        "0292 3821 234",
        "thptcvl@example.vn",
        "",
        S.ANSWERED,
        40,
        9,
        None,
        "",
        [],
        ["Chuyển chuyên gia Trường ĐHCT góp ý danh mục thiết bị."],
        "Trung tâm gửi danh mục thiết bị tối thiểu cho phòng thực hành vi sinh cấp độ an toàn sinh học 1 và giới thiệu chuyên gia hỗ trợ tập huấn giáo viên.",
        [("directory.organization", "Cần Thơ")],
    ),
    (
        K.INFORMATION,
        "Số liệu nghiên cứu nuôi tôm càng xanh xen canh trong ruộng lúa",
        "Cần các kết quả nghiên cứu về mô hình lúa – tôm càng xanh ở ĐBSCL (năng suất, lợi nhuận) để lập dự án.",
        "Trần Văn Phúc",
        "",
        "0901 234 567",
        "nguoidung@example.vn",
        "nguoidung",
        S.ANSWERED,
        12,
        6,
        None,
        "",
        [],
        [],
        "Trung tâm tổng hợp 6 kết quả nghiên cứu về mô hình lúa – tôm càng xanh, kèm các nhiệm vụ KH&CN liên quan của thành phố.",
        [("projects.task", "tôm"), ("library.document", "tôm")],
    ),
    (
        K.TECHNOLOGY,
        "Công nghệ xử lý nước thải chế biến thủy sản quy mô nhỏ",
        "Cơ sở chế biến cá tra fillet công suất 5 tấn/ngày cần giải pháp xử lý nước thải đạt QCVN 11-MT:2015/BTNMT.",
        "Huỳnh Minh Trí",
        "Công ty TNHH Thủy sản Minh Trí",
        "0913 778 899",
        "minhtri.seafood@example.vn",
        "",
        S.IN_PROGRESS,
        20,
        None,
        None,
        "",
        [
            (False, "Xin cho biết lưu lượng nước thải trung bình mỗi ngày."),
            (True, "Khoảng 60 m³/ngày."),
        ],
        ["Đang chờ chuyên gia môi trường phản hồi về công nghệ MBBR."],
        "",
        [],
    ),
    (
        K.INFORMATION,
        "Tài liệu về trồng nấm rơm trong nhà",
        "Hộ gia đình muốn trồng nấm rơm trong nhà quanh năm, cần tài liệu kỹ thuật và chi phí đầu tư ban đầu.",
        "Võ Thị Lan",
        "",
        "0976 345 678",
        "volan.ninhkieu@example.vn",
        "",
        S.WAITING,
        9,
        None,
        None,
        "",
        [(False, "Xin cho biết diện tích dự kiến và nguồn rơm có sẵn không?")],
        ["Khách cần trả lời sớm để kịp vụ."],
        "",
        [],
    ),
    (
        K.INTELLECTUAL_PROPERTY,
        "Tra cứu khả năng bảo hộ sáng chế máy gieo sạ",
        "Nông dân tự chế máy gieo sạ theo hàng, muốn biết có thể đăng ký sáng chế hay giải pháp hữu ích không.",
        "Đặng Văn Hai",
        "",
        "0987 111 222",
        "danghai.codo@example.vn",
        "",
        S.ASSIGNED,
        4,
        None,
        None,
        "",
        [],
        ["Cần tra cứu cơ sở dữ liệu sáng chế WIPO trước khi trả lời."],
        "",
        [],
    ),
    (
        K.STANDARDS,
        "Kiểm định cân điện tử tại chợ đầu mối",
        "Ban quản lý chợ cần lịch kiểm định và đơn vị kiểm định cân điện tử cho 40 tiểu thương.",
        "Nguyễn Thị Mai",
        "Ban quản lý chợ Trần Quốc Toản",
        "0292 3734 567",
        "chotqt@example.vn",
        "",
        S.RECEIVED,
        2,
        None,
        None,
        "",
        [],
        [],
        "",
        [],
    ),
    (
        K.CONSULTING,
        "Tư vấn hồ sơ đề xuất nhiệm vụ KH&CN cấp thành phố",
        "Doanh nghiệp muốn đề xuất nhiệm vụ ứng dụng IoT giám sát ao nuôi, cần tư vấn mẫu hồ sơ và tiêu chí xét chọn.",
        "Lý Quốc Bảo",
        "Công ty CP Công nghệ Mekong Smart",
        "0909 888 777",
        "mekongsmart@example.vn",
        "",
        S.RECEIVED,
        28,
        None,
        None,
        "",
        [],
        [],
        "",
        [],
    ),
    (
        K.TECHNOLOGY,
        "Giới thiệu giống xoài chịu hạn",
        "Chủ vườn cần giống xoài chịu hạn và đơn vị cung cấp cây giống đạt chuẩn.",
        "Trương Văn Lộc",
        "",
        "0912 345 000",
        "loc.phongdien@example.vn",
        "",
        S.WITHDRAWN,
        60,
        None,
        None,
        "",
        [(True, "Tôi đã tìm được nguồn giống, xin rút yêu cầu.")],
        [],
        "",
        [],
    ),
    (
        K.CONSULTING,
        "Tư vấn đầu tư nhà máy điện mặt trời áp mái",
        "Cá nhân muốn được tư vấn tài chính đầu tư nhà máy điện mặt trời áp mái 5 MW.",
        "Ngô Thanh Tùng",
        "",
        "0933 000 111",
        "ngotung@example.vn",
        "",
        S.REJECTED,
        75,
        None,
        None,
        "",
        [],
        ["Tư vấn tài chính dự án năng lượng ngoài chức năng Trung tâm."],
        "",
        [],
    ),
    (
        K.INFORMATION,
        "Thông tin thị trường xuất khẩu bưởi Năm Roi",
        "HTX cần thông tin yêu cầu kỹ thuật và tiêu chuẩn xuất khẩu bưởi sang Hoa Kỳ và EU.",
        "Châu Văn Nghĩa",
        "HTX Bưởi Năm Roi Phong Điền",
        "0939 999 333",
        "buoinamroi@example.vn",
        "",
        S.CLOSED,
        120,
        4,
        5,
        "Nhanh và đầy đủ.",
        [],
        [],
        "Trung tâm gửi tóm tắt yêu cầu kiểm dịch thực vật, giới hạn dư lượng thuốc BVTV của Hoa Kỳ và EU đối với bưởi, kèm tài liệu tham khảo.",
        [("library.document", "")],
    ),
    (
        K.STANDARDS,
        "Áp dụng VietGAP cho rau an toàn",
        "Tổ hợp tác trồng rau cần hướng dẫn chứng nhận VietGAP và chi phí chứng nhận.",
        "Hồ Thị Kim",
        "Tổ hợp tác rau an toàn Long Tuyền",
        "0968 222 444",
        "raulongtuyen@example.vn",
        "nguoidung",
        S.IN_PROGRESS,
        30,
        None,
        None,
        "",
        [],
        ["Hẹn khảo sát thực địa tuần tới."],
        "",
        [],
    ),
]


def _find(label: str, words: str):
    from django.apps import apps

    model = apps.get_model(label)
    queryset = model.objects.visible_to(None)
    if words:
        field = (
            "title"
            if label in ("library.document", "projects.task")
            else ("full_name" if label == "directory.researcher" else "name")
        )
        queryset = queryset.filter(Q(**{f"{field}__icontains": words}))
    return queryset.order_by("pk").first()


def _dated(req: ServiceRequest, received, answer_days, final) -> None:
    """Spread the request over the past months (the services stamped "now")."""
    updates = {"received_at": received, "year": timezone.localtime(received).year}
    updates["due_on"] = timezone.localtime(received).date() + timedelta(
        days=standard_days(req.kind)
    )
    if req.assigned_at:
        updates["assigned_at"] = received + timedelta(hours=20)
    if answer_days is not None:
        answered = received + timedelta(days=answer_days, hours=3)
        updates.update(first_answered_at=answered, answered_at=answered)
        if req.rated_at:
            updates["rated_at"] = answered + timedelta(days=2)
    if req.closed_at:
        updates["closed_at"] = received + timedelta(days=(answer_days or 3) + 2)
    ServiceRequest.objects.filter(pk=req.pk).update(**updates)
    for index, message in enumerate(Message.objects.filter(request=req)):
        Message.objects.filter(pk=message.pk).update(
            created_at=received + timedelta(days=1 + index, hours=2)
        )
    for index, note in enumerate(InternalNote.objects.filter(request=req)):
        InternalNote.objects.filter(pk=note.pk).update(
            created_at=received + timedelta(hours=5 + index)
        )


def _build(spec, editor, accounts) -> ServiceRequest:
    (
        kind,
        subject,
        description,
        name,
        organization,
        phone,
        email,
        account,
        final,
        days_ago,
        answer_days,
        rating,
        comment,
        thread,
        notes,
        answer,
        link_specs,
    ) = spec
    user = accounts.get(account)
    req = services.submit_request(
        user,
        {
            "kind": kind,
            "subject": subject,
            "description": description,
            "requester_name": name,
            "requester_organization": organization,
            "requester_phone": phone,
            "requester_email": email,
            "consent": True,
        },
    )
    token = req.tracking_token
    requester = user
    for body in notes:
        services.add_note(editor, req, body)
    if final == S.WITHDRAWN:
        for _from_requester, body in thread:
            services.post_message(requester, req, body, token=token)
        services.requester_move(requester, req, S.WITHDRAWN, token=token)
    elif final == S.REJECTED:
        services.move_request(
            editor,
            req,
            S.REJECTED,
            note="Yêu cầu tư vấn tài chính dự án ngoài chức năng của Trung tâm; đề nghị liên hệ tổ chức tư vấn đầu tư.",
        )
    elif final != S.RECEIVED:
        services.assign_request(editor, req, editor)
        if final != S.ASSIGNED:
            services.move_request(editor, req, S.IN_PROGRESS)
            for from_requester, body in thread:
                if from_requester:
                    services.post_message(requester, req, body, token=token)
                elif final == S.WAITING or thread.index((from_requester, body)) == 0:
                    services.move_request(editor, req, S.WAITING, note=body)
            for label, words in link_specs:
                target = _find(label, words)
                if target is not None:
                    services.link_record(editor, req, label, target.pk)
            if answer and final in (S.ANSWERED, S.CLOSED):
                services.answer_request(editor, req, answer)
                if rating:
                    services.rate_request(requester, req, rating, comment, token=token)
                elif final == S.CLOSED:
                    services.requester_move(requester, req, S.CLOSED, token=token)
    req.refresh_from_db()
    received = timezone.now() - timedelta(days=days_ago, hours=(days_ago * 7) % 9)
    _dated(req, received, answer_days, final)
    return req


def load_sample(log: Callable[[str], None] = print) -> None:
    editor = (
        User.objects.filter(username="bientap").first()
        or User.objects.filter(role__in=["editor", "admin"]).first()
    )
    if editor is None:
        log("  yêu cầu dịch vụ: bỏ qua (chưa có tài khoản biên tập)")
        return
    accounts = {"": None, "nguoidung": User.objects.filter(username="nguoidung").first()}
    created = 0
    with services.without_mail():
        for spec in REQUESTS:
            subject, email = spec[1], spec[6]
            if ServiceRequest.objects.filter(subject=subject, requester_email=email).exists():
                continue
            with transaction.atomic():
                _build(spec, editor, accounts)
            created += 1
    existing = ServiceRequest.objects.count() - created
    log(f"  yêu cầu dịch vụ KH&CN: thêm {created} yêu cầu; đã có {existing} yêu cầu")
