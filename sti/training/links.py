"""What other apps print for a course they link to (news articles' related records and the
items of a periodical issue): registered with the course as a linkable model in
`TrainingConfig.ready()`."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sti.core.registries import LinkSummary
from sti.core.text import clip

SUMMARY_CHARS = 900


def _schedule(course) -> str:
    if course.starts_on and course.ends_on and course.ends_on != course.starts_on:
        return f"{date_format(course.starts_on, 'd/m/Y')} – {date_format(course.ends_on, 'd/m/Y')}"
    return date_format(course.starts_on, "d/m/Y") if course.starts_on else ""


def describe_course(course) -> LinkSummary:
    """A course: organizer, schedule, place or delivery, audience, and its description."""
    place = course.place or course.get_delivery_display()
    lines = (
        (_("Đơn vị tổ chức"), course.organizer.name),
        (_("Thời gian"), _schedule(course)),
        (_("Địa điểm"), place),
        (_("Đối tượng"), course.audience),
    )
    return LinkSummary(
        title=course.title,
        text=clip(course.description, SUMMARY_CHARS),
        lines=tuple((label, value) for label, value in lines if value),
        terms=(course.organizer.name,),
    )
