"""The IP register, and the task registry's IP filings (projects.IPFiling) copied into it:
every row, with its task, text, dates and state (old state codes mapped to the new ones);
the applicant becomes the task's host organization when the filing named it or nobody, and
stays a name otherwise. `projects.0005` drops the old table after this has run."""

import django.db.models.deletion
import sti.core.models
from django.db import migrations, models

from sti.core.text import fold_lower, normalize

# The task registry's state codes → the register's.
STATUS = {
    "nop": "filed",
    "tham_dinh": "examined",
    "cap": "granted",
    "tu_choi": "refused",
    "rut": "withdrawn",
}


def _folded(*parts) -> str:
    return fold_lower(" ".join(part for part in parts if part))[:900]


def copy_task_filings(apps, schema_editor):
    """Copy every projects.IPFiling into ip.Filing, keeping its primary key."""
    old_model = apps.get_model("projects", "IPFiling")
    Filing = apps.get_model("ip", "Filing")
    rows, numbers = [], set()
    for old in old_model.objects.select_related("task__host").order_by("pk"):
        applicant = normalize(old.applicant or "").strip()
        host = old.task.host if old.task_id else None
        same_host = host is not None and (
            not applicant
            or fold_lower(applicant) in (fold_lower(host.name), fold_lower(host.abbreviation))
        )
        # The register holds one application per (kind, number); the task registry did not
        # check it, so a repeated number keeps its text and gains the old row's id.
        number = old.application_number
        if number and (old.kind, number) in numbers:
            number = f"{number} #{old.pk}"[:50]
        numbers.add((old.kind, number))
        granted_on = old.granted_on
        rows.append(
            Filing(
                pk=old.pk,
                kind=old.kind,
                title=old.title,
                application_number=number,
                filed_on=old.filed_on,
                applicant_organization_id=host.pk if same_host else None,
                applicant_name="" if same_host else applicant,
                task_id=old.task_id,
                status=STATUS.get(old.status, old.status),
                grant_number=old.certificate_number,
                granted_on=granted_on,
                title_folded=_folded(old.title, number, old.certificate_number),
            )
        )
    Filing.objects.bulk_create(rows, batch_size=500)
    if rows and schema_editor.connection.vendor == "postgresql":
        # Rows kept their ids: move the sequence past them.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('ip_filing', 'id'), "
                "(SELECT MAX(id) FROM ip_filing))"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('directory', '0002_researcher_expertise_folded'),
        ('projects', '0004_task_value_ranges'),
    ]

    operations = [
        migrations.CreateModel(
            name='Filing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('sang_che', 'Sáng chế'), ('gphi', 'Giải pháp hữu ích'), ('kdcn', 'Kiểu dáng công nghiệp'), ('nhan_hieu', 'Nhãn hiệu'), ('cddl', 'Chỉ dẫn địa lý'), ('giong', 'Giống cây trồng')], max_length=20, verbose_name='loại đối tượng')),
                ('title', models.CharField(max_length=500, verbose_name='tên đối tượng')),
                ('application_number', models.CharField(blank=True, max_length=50, verbose_name='số đơn')),
                ('filed_on', models.DateField(blank=True, null=True, verbose_name='ngày nộp đơn')),
                ('applicant_name', models.CharField(blank=True, help_text='Tên cá nhân, hoặc tên tổ chức chưa có trong danh bạ.', max_length=300, verbose_name='chủ đơn')),
                ('status', models.CharField(choices=[('filed', 'Đã nộp đơn'), ('examined', 'Đã thẩm định hình thức'), ('granted', 'Đã cấp văn bằng'), ('refused', 'Từ chối cấp'), ('withdrawn', 'Rút đơn')], default='filed', max_length=20, verbose_name='trạng thái')),
                ('grant_number', models.CharField(blank=True, max_length=50, verbose_name='số văn bằng')),
                ('granted_on', models.DateField(blank=True, null=True, verbose_name='ngày cấp văn bằng')),
                ('title_folded', models.CharField(db_index=True, editable=False, max_length=900, verbose_name='tên không dấu')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='ngày tạo')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ngày cập nhật')),
                ('applicant_organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ip_filings', to='directory.organization', verbose_name='tổ chức nộp đơn')),
                ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='ip_filings', to='projects.task', verbose_name='nhiệm vụ KH&CN')),
            ],
            options={
                'verbose_name': 'đơn sở hữu trí tuệ',
                'verbose_name_plural': 'đơn sở hữu trí tuệ',
                'ordering': ['-filed_on', '-id'],
                'indexes': [models.Index(fields=['kind', 'status'], name='ip_filing_kind_status'), models.Index(fields=['filed_on'], name='ip_filing_filed_on')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('application_number', ''), _negated=True), fields=('kind', 'application_number'), name='ip_filing_application_number_unique'), models.CheckConstraint(condition=models.Q(('granted_on__isnull', True), ('filed_on__isnull', True), ('granted_on__gte', models.F('filed_on')), _connector='OR'), name='ip_filing_granted_after_filed')],
            },
            bases=(sti.core.models.ChoiceLabelsMixin, models.Model),
        ),
        migrations.RunPython(copy_task_filings, migrations.RunPython.noop),
    ]
