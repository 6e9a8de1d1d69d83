"""`sti load_thesaurus [file]`: load a thesaurus data file (the shipped one by default)
through the importer: every row validated first, then all written in one transaction,
created or updated, audited, and the data version recorded."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sti.thesaurus import services
from sti.thesaurus.data import DATA_FILE
from sti.thesaurus.data import data_version as shipped_version
from sti.thesaurus.imports import ThesaurusImporter


class Command(BaseCommand):
    help = "Nạp từ điển đồng nghĩa từ tệp dữ liệu (mặc định: tệp kèm theo mã nguồn)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DATA_FILE))
        parser.add_argument("--data-version", default=None)

    def handle(self, *args, path, data_version=None, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"Không có tệp {source}")
        result = ThesaurusImporter().parse(source.read_bytes())  # CSV or .xlsx
        problems = [*result.file_errors, *(str(error) for error in result.errors)]
        if problems:
            raise CommandError("\n".join(problems))
        version = data_version or (shipped_version() if source == DATA_FILE else "")
        counts = services.apply_rows(None, result.records, data_version=version or None)
        self.stdout.write(
            f"{len(result.records)} dòng: {counts['created']} mới, {counts['updated']} cập nhật"
        )
