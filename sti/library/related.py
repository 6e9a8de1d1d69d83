"""Library records shown on other detail pages and the researchers and organizations a
document names (registered in `LibraryConfig.ready()`), read through `visible_to(user)`."""

from __future__ import annotations

from sti.core.registries import RelatedLink
from sti.directory.models import Organization, Researcher
from sti.library.choices import CreatorRole
from sti.library.models import Document

LIMIT = 20


def _documents(documents) -> list[RelatedLink]:
    return [
        RelatedLink(
            document.title,
            document.get_absolute_url(),
            " · ".join(
                str(part) for part in (document.get_source_type_display(), document.year) if part
            ),
        )
        for document in documents.distinct().order_by("-year", "title")[:LIMIT]
    ]


def researcher_documents(researcher, user) -> list[RelatedLink]:
    """Documents whose authors bear the researcher's name (creators are free-text names)."""
    return _documents(
        Document.objects.visible_to(user).filter(
            creators__name_folded=researcher.name_folded, creators__role=CreatorRole.CREATOR
        )
    )


def organization_documents(organization, user) -> list[RelatedLink]:
    return _documents(Document.objects.visible_to(user).filter(organizations=organization))


def document_authors(document, user) -> list[RelatedLink]:
    """The authors who have a profile in the directory that the viewer may see."""
    folded = [c.name_folded for c in document.creators.all() if c.role == CreatorRole.CREATOR]
    if not folded:
        return []
    people = Researcher.objects.visible_to(user).filter(name_folded__in=folded)
    by_name: dict[str, list[Researcher]] = {}
    for person in people.select_related("organization"):
        by_name.setdefault(person.name_folded, []).append(person)
    return [
        RelatedLink(
            person.display_name,
            person.get_absolute_url(),
            person.organization.name if person.organization else "",
        )
        for name in folded
        for person in by_name.get(name, [])
    ]


def document_organizations(document, user) -> list[RelatedLink]:
    return [
        RelatedLink(organization.name, organization.get_absolute_url())
        for organization in Organization.objects.visible_to(user).filter(documents=document)
    ]
