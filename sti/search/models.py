"""What the search app keeps in the database: the records that failed to index."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexFailure(models.Model):
    """A record that could not be indexed. It stays out of the index (the rest goes on) and is
    listed on the status page until it indexes again."""

    type = models.CharField(_("loại bản ghi"), max_length=50)
    pk_value = models.CharField(_("khóa bản ghi"), max_length=64)
    error = models.TextField(_("lỗi"))
    failed_at = models.DateTimeField(_("thời điểm"), auto_now=True)

    class Meta:
        verbose_name = _("lỗi lập chỉ mục")
        verbose_name_plural = _("lỗi lập chỉ mục")
        ordering = ["type", "pk_value"]
        constraints = [
            models.UniqueConstraint(fields=["type", "pk_value"], name="index_failure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.pk_value} – {self.error[:80]}"
