from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("Trường đại học, học viện")
    INSTITUTE = "institute", _("Viện, trung tâm nghiên cứu")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    STATE_AGENCY = "state_agency", _("Cơ quan quản lý nhà nước")
    HOSPITAL = "hospital", _("Bệnh viện, cơ sở y tế")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    ASSOCIATION = "association", _("Hội, hiệp hội")
    INCUBATOR = "incubator", _("Vườn ươm, tổ chức trung gian")
    OTHER = "other", _("Khác")


class EconomicSector(models.TextChoices):
    STATE = "state", _("Nhà nước")
    NON_STATE = "non_state", _("Ngoài nhà nước")
    FOREIGN = "foreign", _("Có vốn đầu tư nước ngoài")


class FoundingAuthority(models.TextChoices):
    """Item 8 of Form 01/CS: who signed the founding decision."""

    NATIONAL_ASSEMBLY = "8.1", _("Quốc hội, Ủy ban Thường vụ Quốc hội")
    GOVERNMENT = "8.2", _("Chính phủ, Thủ tướng Chính phủ")
    MINISTRY = "8.3", _("Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ")
    SUPREME_COURT = "8.4", _("Tòa án, Viện kiểm sát nhân dân tối cao")
    PARTY_MASS = "8.5", _("Cơ quan trung ương của tổ chức chính trị – xã hội")
    ASSOCIATION = "8.6", _("Tổ chức xã hội – nghề nghiệp")
    PROVINCE = "8.7", _("Ủy ban nhân dân tỉnh/thành phố")
    OTHER = "8.8", _("Khác")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")
    MERGED = "merged", _("Đã sáp nhập")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Degree(models.TextChoices):
    DOCTOR = "TS", _("Tiến sĩ")
    MASTER = "ThS", _("Thạc sĩ")
    BACHELOR = "ĐH", _("Đại học")
    COLLEGE = "CĐ", _("Cao đẳng")
    OTHER = "khac", _("Khác")


class AcademicTitle(models.TextChoices):
    PROFESSOR = "GS", _("Giáo sư")
    ASSOCIATE = "PGS", _("Phó giáo sư")
