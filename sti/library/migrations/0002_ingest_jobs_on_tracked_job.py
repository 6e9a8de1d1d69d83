"""Text-extraction jobs move from library.IngestJob to the shared core.TrackedJob
(kind "library.ingest", target the file). Every row is copied before the table goes."""

from django.db import migrations

STATES = {"ocr_unavailable": "waiting"}


def to_tracked(apps, schema_editor):
    IngestJob = apps.get_model("library", "IngestJob")
    TrackedJob = apps.get_model("core", "TrackedJob")
    for old in IngestJob.objects.select_related("file").iterator():
        failed = old.state == "failed"
        job = TrackedJob.objects.create(
            kind="library.ingest",
            label=old.file.original_name[:300],
            target_type="library.documentfile",
            target_id=str(old.file_id),
            state=STATES.get(old.state, old.state),
            done=old.progress,
            total=100,
            message="" if failed else old.message,
            error=old.message if failed else "",
            started_at=old.started_at,
            finished_at=old.finished_at,
        )
        TrackedJob.objects.filter(pk=job.pk).update(created_at=old.created_at)


def from_tracked(apps, schema_editor):
    IngestJob = apps.get_model("library", "IngestJob")
    TrackedJob = apps.get_model("core", "TrackedJob")
    DocumentFile = apps.get_model("library", "DocumentFile")
    files = set(DocumentFile.objects.values_list("pk", flat=True))
    back = {new: old for old, new in STATES.items()}
    for job in TrackedJob.objects.filter(kind="library.ingest"):
        if int(job.target_id) not in files:
            continue
        old = IngestJob.objects.create(
            file_id=int(job.target_id),
            state=back.get(job.state, job.state),
            progress=min(100, job.done),
            message=(job.error or job.message)[:500],
            started_at=job.started_at,
            finished_at=job.finished_at,
        )
        IngestJob.objects.filter(pk=old.pk).update(created_at=job.created_at)
        job.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_tracked_job"),
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_tracked, from_tracked),
        migrations.DeleteModel(name="IngestJob"),
    ]
