"""Catalogue builds keep their files; their state, progress, message and finish time move to a
shared tracked job (core.TrackedJob). Existing rows are copied, nothing is lost."""

import django.db.models.deletion
from django.db import migrations, models


def to_jobs(apps, schema_editor):
    CatalogueBuild = apps.get_model("projects", "CatalogueBuild")
    TrackedJob = apps.get_model("core", "TrackedJob")
    for build in CatalogueBuild.objects.all():
        failed = build.state == "failed"
        job = TrackedJob.objects.create(
            kind="projects.catalogue",
            label=f"{build.kind} {build.year}",
            target_type="projects.cataloguebuild",
            target_id=str(build.pk),
            state=build.state,
            done=build.progress,
            total=100,
            message="" if failed else build.message[:500],
            error=build.message if failed else "",
            requested_by_id=build.requested_by_id,
            finished_at=build.finished_at,
        )
        TrackedJob.objects.filter(pk=job.pk).update(created_at=build.created_at)
        build.job = job
        build.save(update_fields=["job"])


def from_jobs(apps, schema_editor):
    CatalogueBuild = apps.get_model("projects", "CatalogueBuild")
    for build in CatalogueBuild.objects.exclude(job=None).select_related("job"):
        job = build.job
        build.state = job.state if job.state in ("queued", "running", "done", "failed") else "failed"
        build.progress = 100 if job.state == "done" else min(100, job.done)
        build.message = job.error or job.message
        build.finished_at = job.finished_at
        build.save(update_fields=["state", "progress", "message", "finished_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_tracked_job"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cataloguebuild",
            name="job",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.trackedjob",
                verbose_name="công việc nền",
            ),
        ),
        migrations.RunPython(to_jobs, from_jobs),
        migrations.RemoveField(model_name="cataloguebuild", name="finished_at"),
        migrations.RemoveField(model_name="cataloguebuild", name="message"),
        migrations.RemoveField(model_name="cataloguebuild", name="progress"),
        migrations.RemoveField(model_name="cataloguebuild", name="state"),
    ]
