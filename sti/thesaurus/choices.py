"""Choices of the thesaurus."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TermRelation(models.TextChoices):
    """How a term relates to its concept's preferred term."""

    SYNONYM = "synonym", _("Đồng nghĩa")
    REGIONAL = "regional", _("Từ địa phương (Nam/Bắc)")
    SCIENTIFIC = "scientific", _("Tên khoa học")
    ABBREVIATION = "abbreviation", _("Viết tắt")
    ENGLISH = "english", _("Thuật ngữ tiếng Anh")
    SYMPTOM = "symptom", _("Triệu chứng → tên bệnh")
    # A kind of the concept ("bưởi" for "cây có múi"): one way only. A query for the group
    # also finds its kinds; a query for one kind does not find the group or the other kinds.
    NARROWER = "narrower", _("Loại cụ thể (nghĩa hẹp hơn)")


# The weight an alternative gets relative to the typed word when a relation has none of its
# own: always below 1, so a typed word outranks what the thesaurus adds.
DEFAULT_WEIGHTS = {
    TermRelation.SYNONYM: 0.8,
    TermRelation.REGIONAL: 0.8,
    TermRelation.SCIENTIFIC: 0.7,
    TermRelation.ABBREVIATION: 0.7,
    TermRelation.ENGLISH: 0.6,
    TermRelation.SYMPTOM: 0.5,
    TermRelation.NARROWER: 0.4,
}
MIN_WEIGHT = 0.05
MAX_WEIGHT = 0.95
