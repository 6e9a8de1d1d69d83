from django.db import migrations


def load(apps, schema_editor):
    from sti.core.codelists import load_all

    load_all(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
