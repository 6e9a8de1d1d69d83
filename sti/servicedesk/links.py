"""The records an answer may link to, and how each viewer sees them.

`LINKABLE` is the registry: model label → the noun shown next to the link. A link to any
other model is refused by `services.link_record`. Linked records are read back through each
model's own `visible_to(viewer)`, one query per linked type, so a requester never learns of a
draft document or a confidential task the answer happened to point to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

LINKABLE = {
    "library.document": _("Tài liệu"),
    "projects.task": _("Nhiệm vụ KH&CN"),
    "directory.researcher": _("Nhà khoa học, chuyên gia"),
    "directory.organization": _("Tổ chức KH&CN"),
}


@dataclass(frozen=True)
class ShownLink:
    link_id: int
    noun: str
    title: str
    url: str


def linkable_models() -> dict:
    """Model class → noun, for the models of the registry."""
    return {apps.get_model(label): noun for label, noun in LINKABLE.items()}


def resolve(label: str, pk):
    """The model class of `label` when it is linkable, else None."""
    if label not in LINKABLE:
        return None
    return apps.get_model(label)


def label_of(model) -> str:
    return model._meta.label_lower


def visible_links(links, viewer) -> list[ShownLink]:
    """The linked records of `links` that `viewer` may see (one query per linked type)."""
    by_type: dict[int, list] = defaultdict(list)
    for link in links:
        by_type[link.content_type_id].append(link)
    shown: list[ShownLink] = []
    for type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or label_of(model) not in LINKABLE:
            continue
        targets = model.objects.visible_to(viewer).in_bulk([link.object_id for link in group])
        for link in group:
            target = targets.get(link.object_id)
            if target is not None:
                shown.append(
                    ShownLink(
                        link.pk,
                        str(LINKABLE[label_of(model)]),
                        str(target),
                        target.get_absolute_url(),
                    )
                )
    order = {link.pk: index for index, link in enumerate(links)}
    return sorted(shown, key=lambda item: order[item.link_id])
