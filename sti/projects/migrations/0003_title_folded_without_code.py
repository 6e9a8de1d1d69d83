"""The folded search key of a task holds its title only: an ongoing task's code is not
public, so the list filter must not match it (the code is matched where it is disclosed)."""

from django.db import migrations

from sti.core.text import fold_lower


def refold(apps, schema_editor):
    Task = apps.get_model("projects", "Task")
    batch = []
    for task in Task.objects.only("pk", "title").iterator(chunk_size=2000):
        task.title_folded = fold_lower(task.title)[:600]
        batch.append(task)
        if len(batch) >= 2000:
            Task.objects.bulk_update(batch, ["title_folded"])
            batch.clear()
    if batch:
        Task.objects.bulk_update(batch, ["title_folded"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_catalogue_build_on_tracked_job")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
