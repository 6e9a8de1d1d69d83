"""Choices of the S&T task registry (DOMAIN.md §1.4 and §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    """The lifecycle of a task (Law 29/2013 Art. 25–43); the allowed moves are in lifecycle.py."""

    PROPOSED = "de_xuat", _("Đề xuất")
    LISTED = "phe_duyet_danh_muc", _("Đã phê duyệt danh mục")
    SELECTION = "tuyen_chon", _("Tuyển chọn / xét chọn")
    DIRECT = "giao_truc_tiep", _("Giao trực tiếp")
    PLAN_APPROVED = "phe_duyet_thuyet_minh", _("Đã phê duyệt thuyết minh")
    CONTRACTED = "ky_hop_dong", _("Đã ký hợp đồng")
    IN_PROGRESS = "dang_thuc_hien", _("Đang thực hiện")
    ADJUSTED = "dieu_chinh", _("Đang thực hiện (điều chỉnh)")
    EXTENDED = "gia_han", _("Đang thực hiện (gia hạn)")
    AWAITING_ACCEPTANCE = "cho_nghiem_thu", _("Chờ nghiệm thu")
    ACCEPTED = "nghiem_thu_dat", _("Nghiệm thu đạt")
    FAILED = "nghiem_thu_khong_dat", _("Nghiệm thu không đạt")
    REGISTERED = "da_dang_ky_ket_qua", _("Đã đăng ký kết quả")
    LIQUIDATED = "thanh_ly", _("Đã thanh lý")
    APPLIED = "ung_dung", _("Đã ứng dụng")
    STOPPED = "dung", _("Dừng thực hiện")
    CANCELLED = "huy", _("Hủy")


# States before the contract is signed: a draft, visible to the host organization and editors.
DRAFT_STATES = frozenset(
    {
        TaskStatus.PROPOSED,
        TaskStatus.LISTED,
        TaskStatus.SELECTION,
        TaskStatus.DIRECT,
        TaskStatus.PLAN_APPROVED,
    }
)
ONGOING_STATES = frozenset(
    {
        TaskStatus.CONTRACTED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.ADJUSTED,
        TaskStatus.EXTENDED,
        TaskStatus.AWAITING_ACCEPTANCE,
    }
)
COMPLETED_STATES = frozenset(
    {
        TaskStatus.ACCEPTED,
        TaskStatus.REGISTERED,
        TaskStatus.LIQUIDATED,
        TaskStatus.APPLIED,
    }
)


class TaskKind(models.TextChoices):
    """Hình thức nhiệm vụ."""

    PROGRAMME = "chuong_trinh", _("Chương trình")
    TOPIC = "de_tai", _("Đề tài")
    PILOT_PRODUCTION = "du_an_sxtn", _("Dự án sản xuất thử nghiệm")
    SCHEME = "de_an", _("Đề án khoa học")
    ST_PROJECT = "du_an_khcn", _("Dự án KH&CN")
    BASIC_SURVEY = "dieu_tra_co_ban", _("Nhiệm vụ điều tra cơ bản")
    PROTOCOL = "nghi_dinh_thu", _("Nhiệm vụ nghị định thư")


class ResearchType(models.TextChoices):
    """Loại hình nghiên cứu."""

    BASIC = "co_ban", _("Nghiên cứu cơ bản")
    APPLIED = "ung_dung", _("Nghiên cứu ứng dụng")
    DEVELOPMENT = "trien_khai", _("Triển khai thực nghiệm")


class AssignmentMode(models.TextChoices):
    """Phương thức giao nhiệm vụ."""

    SELECTION = "tuyen_chon", _("Tuyển chọn")
    DIRECT = "giao_truc_tiep", _("Giao trực tiếp")
    REVIEW = "xet_chon", _("Xét chọn")


class MemberRole(models.TextChoices):
    PRINCIPAL = "chu_nhiem", _("Chủ nhiệm")
    SECRETARY = "thu_ky", _("Thư ký khoa học")
    MEMBER = "thanh_vien", _("Thành viên chính")
    PARTICIPANT = "tham_gia", _("Thành viên tham gia")


class AcceptanceRating(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Xuất sắc")
    PASSED = "dat", _("Đạt")
    FAILED = "khong_dat", _("Không đạt")


class ProposalStatus(models.TextChoices):
    """DeXuat: nháp → đã nộp → tra cứu → tư vấn → đặt hàng | không chọn."""

    DRAFT = "nhap", _("Nháp")
    SUBMITTED = "da_nop", _("Đã nộp")
    SEARCHED = "tra_cuu", _("Đã tra cứu trùng lặp")
    ADVISED = "tu_van", _("Đã tư vấn")
    ORDERED = "dat_hang", _("Đặt hàng")
    REJECTED = "khong_chon", _("Không chọn")


class MatchKind(models.TextChoices):
    TASK = "task", _("Nhiệm vụ")
    DOCUMENT = "document", _("Tài liệu thư viện")


class CouncilKind(models.TextChoices):
    IDENTIFICATION = "xac_dinh", _("Hội đồng xác định nhiệm vụ")
    SELECTION = "tuyen_chon", _("Hội đồng tuyển chọn, xét chọn")
    ACCEPTANCE = "nghiem_thu", _("Hội đồng nghiệm thu")
    APPRAISAL = "tham_dinh", _("Hội đồng thẩm định công nghệ")


class CouncilRole(models.TextChoices):
    CHAIR = "chu_tich", _("Chủ tịch")
    REVIEWER = "phan_bien", _("Phản biện")
    MEMBER = "uy_vien", _("Ủy viên")
    SECRETARY = "thu_ky", _("Thư ký")


class EvaluationVerdict(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Xuất sắc")
    PASSED = "dat", _("Đạt")
    FAILED = "khong_dat", _("Không đạt")
    SELECTED = "chon", _("Đề nghị chọn / thực hiện")
    NOT_SELECTED = "khong_chon", _("Đề nghị không chọn")


class RegistrationStatus(models.TextChoices):
    """DangKyKetQua (Mẫu 5): chưa nộp → đã nộp → bổ sung → đã cấp GCN."""

    NOT_SUBMITTED = "chua_nop", _("Chưa nộp")
    SUBMITTED = "da_nop", _("Đã nộp")
    SUPPLEMENT = "bo_sung", _("Yêu cầu bổ sung")
    CERTIFIED = "da_cap_gcn", _("Đã cấp giấy chứng nhận")


class RegistrationFileKind(models.TextChoices):
    FINAL_REPORT = "bao_cao_tong_hop", _("Báo cáo tổng hợp kết quả")
    SUMMARY = "tom_tat", _("Báo cáo tóm tắt")
    MINUTES = "bien_ban", _("Biên bản nghiệm thu")
    DATA = "du_lieu", _("Dữ liệu, phần mềm, mã nguồn")
    AUTHOR_ORDER = "thu_tu_tac_gia", _("Văn bản thống nhất thứ tự tác giả")
    OTHER = "khac", _("Khác")


class ApplicationKind(models.TextChoices):
    """Mẫu 12: hình thức ứng dụng kết quả."""

    PRODUCTION = "san_xuat", _("Ứng dụng vào sản xuất, kinh doanh")
    TRANSFER = "chuyen_giao", _("Chuyển giao công nghệ")
    POLICY = "chinh_sach", _("Phục vụ quản lý, hoạch định chính sách")
    TRAINING = "dao_tao", _("Đào tạo, giảng dạy")
    FURTHER_RESEARCH = "nghien_cuu_tiep", _("Nghiên cứu tiếp theo")
    OTHER = "khac", _("Khác")


class PublicationKind(models.TextChoices):
    DOMESTIC = "trong_nuoc", _("Bài báo tạp chí trong nước")
    INTERNATIONAL = "quoc_te", _("Bài báo tạp chí quốc tế")
    BOOK = "sach", _("Sách chuyên khảo")
    PROCEEDINGS = "ky_yeu", _("Kỷ yếu hội nghị")


class CatalogueKind(models.TextChoices):
    ONGOING = "ongoing", _("Danh mục các đề tài, dự án đang tiến hành")
    RESULTS = "results", _("Kết quả các nhiệm vụ KH&CN")
