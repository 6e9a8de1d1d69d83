from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    """The S&T services of the center's charter (seed 000)."""

    INFORMATION = "information", _("Tìm tin theo yêu cầu")
    TECHNOLOGY = "technology", _("Tìm kiếm, giới thiệu công nghệ")
    INTELLECTUAL_PROPERTY = "ip", _("Hướng dẫn sở hữu trí tuệ")
    STANDARDS = "standards", _("Tiêu chuẩn – Đo lường – Chất lượng")
    CONSULTING = "consulting", _("Tư vấn KH&CN")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    WAITING = "waiting", _("Chờ người yêu cầu bổ sung")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Đã rút")


class AttachmentKind(models.TextChoices):
    REQUEST = "request", _("Kèm yêu cầu")
    MESSAGE = "message", _("Kèm trao đổi")
    ANSWER = "answer", _("Kèm trả lời")


# States in which the center still owes the requester an answer.
OPEN_STATES = (
    RequestStatus.RECEIVED,
    RequestStatus.ASSIGNED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING,
)
# States in which the request is over (answered and closed, or stopped).
FINISHED_STATES = (RequestStatus.CLOSED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN)
