"""The task registry's IP filings moved to the IP register (sti.ip): `ip.0001_initial` copies
the rows before this drops the old table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0004_task_value_ranges'),
        ('ip', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(
            name='IPFiling',
        ),
    ]
