"""What the directory puts in the search index."""

from django.utils.translation import gettext_lazy as _

from sti.directory.models import Organization, Researcher
from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register


def organization_document(org: Organization) -> SearchDocument:
    fields = [field.code for field in org.fields.all()]
    body = " ".join(
        part for part in (org.abbreviation, org.name_en, org.address, org.description) if part
    )
    return SearchDocument(
        type="organization",
        pk=str(org.pk),
        title=org.name,
        body=body,
        url=org.get_absolute_url(),
        subtitle=org.get_kind_display(),
        fields=fields,
        date=org.updated_at,
        tags=[("kind", org.kind), ("status", org.status)],
    )


def researcher_document(person: Researcher) -> SearchDocument:
    fields = [field.code for field in person.fields.all()]
    organization = person.organization.name if person.organization_id else ""
    body = " ".join(
        part for part in (person.position, organization, person.expertise, person.bio) if part
    )
    return SearchDocument(
        type="researcher",
        pk=str(person.pk),
        title=person.display_name,
        body=body,
        url=person.get_absolute_url(),
        subtitle=organization,
        fields=fields,
        date=person.updated_at,
        tags=[("expert", "yes" if person.is_expert else "no")]
        + ([("degree", person.degree)] if person.degree else []),
    )


register(
    IndexSpec(
        type="organization",
        label=_("Tổ chức KH&CN"),
        model=Organization,
        queryset=lambda: Organization.objects.prefetch_related("fields"),
        to_document=organization_document,
        icon="bi-building",
    )
)
register(
    IndexSpec(
        type="researcher",
        label=_("Nhà khoa học"),
        model=Researcher,
        queryset=lambda: Researcher.objects.select_related("organization").prefetch_related(
            "fields"
        ),
        to_document=researcher_document,
        dependencies={Organization: lambda org: list(org.researchers.values_list("pk", flat=True))},
        icon="bi-person",
    )
)
