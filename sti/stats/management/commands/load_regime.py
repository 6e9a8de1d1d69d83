"""`sti load_regime FILE.yaml`: create or update a reporting regime from its file."""

from django.core.management.base import BaseCommand, CommandError

from sti.stats.regimes import RegimeError, load_file


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) một chế độ báo cáo thống kê từ tệp YAML/JSON."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            regime, notes = load_file(path)
        except (RegimeError, OSError) as error:
            raise CommandError(str(error)) from error
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        forms = ", ".join(regime.forms.values_list("code", flat=True))
        self.stdout.write(self.style.SUCCESS(f"{regime.code}: {forms}"))
