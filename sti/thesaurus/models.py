"""The thesaurus: concepts, each a preferred term with other terms that mean the same (a
regional word, a scientific name, an abbreviation, a symptom standing for a disease), and
the weight each gets when a query is expanded. `Revision` counts every change, so the
expander of each process knows, with one cheap check, when to rebuild its map."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, AccessQuerySet, AccessRule, Grant
from sti.core.text import fold_lower, normalize
from sti.thesaurus.choices import DEFAULT_WEIGHTS, MAX_WEIGHT, MIN_WEIGHT, TermRelation


def term_key(text: str) -> str:
    """The identity of a term: NFC, inner spaces collapsed, lower case (accents kept)."""
    return normalize(text).lower()


class ConceptQuerySet(AccessQuerySet):
    # The thesaurus is public reading; only editors change it (access.py).
    access_rule = AccessRule(grants=[Grant(PUBLIC)])


class TermQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(PUBLIC)])

    def for_relation(self, relation: str):
        return self.filter(relation=relation)


class Concept(models.Model):
    """One meaning, named by its preferred term ("ngô", "lúa", "đồng bằng sông Cửu Long")."""

    label = models.CharField(_("thuật ngữ ưu tiên"), max_length=200)
    key = models.CharField(_("khóa"), max_length=200, unique=True, editable=False)
    folded = models.CharField(_("dạng không dấu"), max_length=200, db_index=True, editable=False)
    field = models.ForeignKey(
        "core.FieldOfScience",
        verbose_name=_("lĩnh vực KH&CN"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = ConceptQuerySet.as_manager()

    class Meta:
        verbose_name = _("khái niệm (từ điển đồng nghĩa)")
        verbose_name_plural = _("khái niệm (từ điển đồng nghĩa)")
        ordering = ["folded", "key"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.label = normalize(self.label)
        self.key = term_key(self.label)
        self.folded = fold_lower(self.label)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("thesaurus:concept_detail", args=[self.pk])


class Term(models.Model):
    """Another word for a concept, with its relation to the preferred term and its weight."""

    concept = models.ForeignKey(
        Concept, verbose_name=_("khái niệm"), on_delete=models.CASCADE, related_name="terms"
    )
    text = models.CharField(_("thuật ngữ"), max_length=200)
    key = models.CharField(_("khóa"), max_length=200, editable=False)
    folded = models.CharField(_("dạng không dấu"), max_length=200, db_index=True, editable=False)
    relation = models.CharField(_("quan hệ"), max_length=20, choices=TermRelation.choices)
    weight = models.FloatField(
        _("trọng số"),
        validators=[MinValueValidator(MIN_WEIGHT), MaxValueValidator(MAX_WEIGHT)],
        help_text=_("So với từ người dùng gõ (luôn nhỏ hơn 1)."),
    )
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("thuật ngữ")
        verbose_name_plural = _("thuật ngữ")
        ordering = ["concept_id", "relation", "key"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "key"], name="thesaurus_term_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(weight__lt=1),
                name="thesaurus_term_weight_below_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.concept}" if self.concept_id else self.text

    def save(self, *args, **kwargs):
        self.text = normalize(self.text)
        self.key = term_key(self.text)
        self.folded = fold_lower(self.text)
        if self.weight is None:
            self.weight = DEFAULT_WEIGHTS[TermRelation(self.relation)]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("thesaurus:concept_detail", args=[self.concept_id])


class RevisionQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(PUBLIC)])


class Revision(models.Model):
    """One row: a counter raised by every change, and the version of the last data file
    loaded. Each process compares the counter with the one its map was built from."""

    number = models.PositiveIntegerField(_("số lần thay đổi"), default=0)
    data_version = models.CharField(_("phiên bản dữ liệu đã nạp"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản từ điển đồng nghĩa")
        verbose_name_plural = _("phiên bản từ điển đồng nghĩa")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.data_version or '-'} #{self.number}"
