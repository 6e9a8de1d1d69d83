"""What the search app keeps in the database: the records that failed to index, and the
changes on their way to the index."""

from django.db import models
from django.utils import timezone
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


class PendingIndex(models.Model):
    """A change on its way to the index, written in the same transaction as the change and
    removed once the index has it. The after-commit task normally does that within seconds;
    a row left longer means its task was lost (a worker killed mid-run, a queue that lost its
    message), and the periodic sweep (`outbox.retry_lost_indexing`) enqueues it again, so that
    an acknowledged change always reaches the index on any task backend."""

    type = models.CharField(_("loại bản ghi"), max_length=50)
    pk_value = models.CharField(_("khóa bản ghi"), max_length=64)
    queued_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("thay đổi chờ lập chỉ mục")
        verbose_name_plural = _("thay đổi chờ lập chỉ mục")
        indexes = [models.Index(fields=["type", "pk_value"], name="pending_index_record")]

    def __str__(self) -> str:
        return f"{self.type}:{self.pk_value}"
