"""Choices of the IP register (Luật Sở hữu trí tuệ: the objects of industrial property and
plant varieties; the states of an application)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IPKind(models.TextChoices):
    # Values kept from the task registry's filings (sti.projects until 2026), so old links
    # and exports keep their codes.
    PATENT = "sang_che", _("Sáng chế")
    UTILITY = "gphi", _("Giải pháp hữu ích")
    DESIGN = "kdcn", _("Kiểu dáng công nghiệp")
    TRADEMARK = "nhan_hieu", _("Nhãn hiệu")
    GEOGRAPHICAL = "cddl", _("Chỉ dẫn địa lý")
    PLANT_VARIETY = "giong", _("Giống cây trồng")


class FilingStatus(models.TextChoices):
    FILED = "filed", _("Đã nộp đơn")
    EXAMINED = "examined", _("Đã thẩm định hình thức")
    GRANTED = "granted", _("Đã cấp văn bằng")
    REFUSED = "refused", _("Từ chối cấp")
    WITHDRAWN = "withdrawn", _("Rút đơn")
