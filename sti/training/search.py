"""What the training app puts in the search index: its courses."""

from django.utils.translation import gettext_lazy as _

from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register
from sti.training.models import Course, Trainer


def course_document(course: Course) -> SearchDocument:
    trainers = ", ".join(t.display_name for t in course.trainers.all())
    body = " ".join(
        part for part in (course.description, course.audience, course.place, trainers) if part
    )
    return SearchDocument(
        type="course",
        pk=str(course.pk),
        title=course.title,
        body=body,
        url=course.get_absolute_url(),
        subtitle=course.organizer.name,
        fields=[field.code for field in course.fields.all()],
        date=course.starts_on or course.updated_at,
        tags=[("status", course.status), ("delivery", course.delivery)],
    )


register(
    IndexSpec(
        type="course",
        label=_("Khóa đào tạo"),
        model=Course,
        queryset=lambda: Course.objects.select_related("organizer").prefetch_related(
            "fields", "trainers__researcher"
        ),
        to_document=course_document,
        dependencies={Trainer: lambda trainer: [trainer.course_id]},
        icon="bi-mortarboard",
    )
)
