"""Links from news to other records, through the linkable registry of `sti.core.registries`.

An article's related records and a bulletin's items point to records of other apps with a
generic relation (content type + id). Three rules keep that safe:

1. only models registered with `register_linkable` may be pointed to (this app registers the
   library's documents and the registry's tasks in `NewsConfig.ready()`; a later app
   registers its own offers or courses the same way, and they appear here with no change);
2. a record is shown only to those its own model's access rule admits
   (`Model.objects.visible_to(user)`), whatever the article's audience is;
3. a reference is written as "<key>:<id>" ("document:12") in forms and the API.

Reading is done in one query per linked model, however many links a page shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sti.core import registries
from sti.core.validators import as_pk


@dataclass(frozen=True)
class Ref:
    """A parsed "<key>:<id>" reference."""

    linkable: registries.Linkable
    pk: int

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.linkable.model_class)

    def __str__(self) -> str:
        return f"{self.linkable.key}:{self.pk}"


def parse_ref(text: str) -> Ref:
    """ "document:12" → Ref; a clear Vietnamese ValidationError for anything else."""
    key, _sep, value = str(text).strip().partition(":")
    linkable = registries.linkable(key)
    pk = as_pk(value)
    if linkable is None or pk is None:
        raise ValidationError(
            _("Hồ sơ liên quan “%(ref)s” không hợp lệ (dạng đúng: document:12).")
            % {"ref": str(text)[:40]}
        )
    return Ref(linkable, pk)


def check_visible(user, refs: Iterable[Ref]) -> list[Ref]:
    """The refs, if the user may see every record they name (one may only link what one
    sees); else a ValidationError naming the first missing one."""
    refs = list(refs)
    by_key: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        by_key[ref.linkable.key].add(ref.pk)
    for key, pks in by_key.items():
        model = registries.linkable(key).model_class
        found = set(model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
        missing = sorted(pks - found)
        if missing:
            raise ValidationError(
                _("Không tìm thấy hồ sơ %(ref)s (hoặc bạn không có quyền xem).")
                % {"ref": f"{key}:{missing[0]}"}
            )
    return refs


def visible_records(user, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], object]:
    """{(content_type_id, object_id): record} for the pairs this user may see; records of
    models no longer linkable, deleted or hidden are simply absent."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in pairs:
        if content_type_id and object_id:
            wanted[content_type_id].add(object_id)
    found: dict[tuple[int, int], object] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or registries.linkable_for_model(model) is None:
            continue
        for record in model.objects.visible_to(user).filter(pk__in=ids):
            found[(content_type_id, record.pk)] = record
    return found


def label_of(record) -> str:
    linkable = registries.linkable_for_model(type(record))
    return str(linkable.label) if linkable else ""


def recent(user, linkable: registries.Linkable, limit: int = 30) -> list:
    """The newest records of one linkable model this user may see (bulletin item sources)."""
    if not linkable.date_field:
        return []
    model = linkable.model_class
    return list(model.objects.visible_to(user).order_by(f"-{linkable.date_field}", "-pk")[:limit])


def summarize(record) -> registries.LinkSummary:
    linkable = registries.linkable_for_model(type(record))
    if linkable is not None and linkable.describe is not None:
        return linkable.describe(record)
    return registries.LinkSummary(title=str(record))
