"""Choices of the technology exchange: the states of offers, demands and expressions of
interest, and the terms of the Technology Transfer Law 07/2017/QH14 (Art. 5 forms, Art. 6
methods)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    UNDER_REVIEW = "under_review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đang chào bán")
    HIDDEN = "hidden", _("Tạm ẩn")
    EXPIRED = "expired", _("Hết hạn")
    TRANSFERRED = "transferred", _("Đã chuyển giao")


class DemandStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    CLARIFIED = "clarified", _("Đã làm rõ")
    SEARCHING = "searching", _("Đang tìm công nghệ")
    PROPOSALS_SENT = "proposals_sent", _("Đã gửi đề xuất")
    CONNECTED = "connected", _("Đã kết nối")
    CLOSED = "closed", _("Đã đóng")


class InterestStatus(models.TextChoices):
    PENDING = "pending", _("Chờ chủ công nghệ trả lời")
    ACCEPTED = "accepted", _("Được chấp nhận")
    DECLINED = "declined", _("Bị từ chối")


class DevelopmentLevel(models.TextChoices):
    IDEA = "idea", _("Ý tưởng, nghiên cứu ban đầu")
    LAB = "lab", _("Thử nghiệm phòng thí nghiệm")
    PILOT = "pilot", _("Sản xuất thử, mô hình trình diễn")
    COMMERCIAL = "commercial", _("Đã thương mại hóa")


class PriceKind(models.TextChoices):
    FIXED = "fixed", _("Giá chào bán")
    NEGOTIABLE = "negotiable", _("Thỏa thuận")
    APPRAISAL = "appraisal", _("Theo thẩm định giá")
    AUCTION = "auction", _("Đấu giá")


class TransferMethod(models.TextChoices):
    """Art. 6 of Law 07/2017: how the technology is handed over."""

    DOCUMENTS = "documents", _("Chuyển giao tài liệu")
    TRAINING = "training", _("Đào tạo")
    EXPERT_ASSISTANCE = "expert_assistance", _("Cử chuyên gia tư vấn kỹ thuật")
    EQUIPMENT = "equipment", _("Chuyển giao máy móc, thiết bị kèm bí quyết")
    OTHER = "other", _("Phương thức khác")


class TransferKind(models.TextChoices):
    """Art. 5 of Law 07/2017: in which frame the technology is transferred."""

    INDEPENDENT = "independent", _("Chuyển giao độc lập")
    INVESTMENT_PROJECT = "investment_project", _("Trong dự án đầu tư")
    CAPITAL = "capital", _("Góp vốn bằng công nghệ")
    FRANCHISE = "franchise", _("Nhượng quyền thương mại")
    IP_TRANSFER = "ip_transfer", _("Chuyển giao quyền sở hữu trí tuệ")
    MACHINERY = "machinery", _("Mua bán máy móc, thiết bị kèm công nghệ")


class CooperationKind(models.TextChoices):
    PURCHASE = "purchase", _("Mua đứt công nghệ")
    LICENSE = "license", _("Nhận chuyển giao quyền sử dụng")
    JOINT = "joint", _("Hợp tác nghiên cứu, hoàn thiện")
    CONSULTING = "consulting", _("Tư vấn, hỗ trợ kỹ thuật")
    OTHER = "other", _("Hình thức khác")


class ActivityKind(models.TextChoices):
    CONTACT = "contact", _("Liên hệ")
    MEETING = "meeting", _("Gặp gỡ, kết nối B2B")
    NOTE = "note", _("Ghi chú")


class EventKind(models.TextChoices):
    FAIR = "fair", _("Chợ công nghệ (Techmart)")
    DEMO_DAY = "demo_day", _("Ngày trình diễn công nghệ")
    B2B = "b2b", _("Phiên kết nối cung – cầu")


class ExhibitorStatus(models.TextChoices):
    """An exhibitor at a fair: an owner's application waits for the center."""

    APPLIED = "applied", _("Chờ Trung tâm duyệt")
    ACCEPTED = "accepted", _("Đã nhận trưng bày")
    DECLINED = "declined", _("Không nhận")


class Province(models.TextChoices):
    """Where a technology may be used or a demand arises: the Mekong Delta provinces as
    people still name them (before the 2025 merger), the city, and the whole country."""

    CAN_THO = "92", _("TP. Cần Thơ")
    HAU_GIANG = "93", _("Hậu Giang")
    SOC_TRANG = "94", _("Sóc Trăng")
    AN_GIANG = "89", _("An Giang")
    KIEN_GIANG = "91", _("Kiên Giang")
    DONG_THAP = "87", _("Đồng Tháp")
    TIEN_GIANG = "82", _("Tiền Giang")
    LONG_AN = "80", _("Long An")
    VINH_LONG = "86", _("Vĩnh Long")
    BEN_TRE = "83", _("Bến Tre")
    TRA_VINH = "84", _("Trà Vinh")
    BAC_LIEU = "95", _("Bạc Liêu")
    CA_MAU = "96", _("Cà Mau")
    NATIONWIDE = "vn", _("Toàn quốc")
