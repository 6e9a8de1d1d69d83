from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sti.portal import backup


def progress_bars(disable: bool):
    """A `backup.Progress` drawing one tqdm bar per step; returns (progress, close)."""
    bars = []

    def progress(label: str, total: int, unit: str):
        close()  # one step at a time: the previous bar is finished
        scale = unit == "B"
        bar = tqdm(
            total=total,
            desc=label,
            unit=unit,
            unit_scale=scale,
            unit_divisor=1024 if scale else 1000,
            disable=disable,
            leave=True,
        )
        bars.append(bar)
        return bar.update

    def close():
        while bars:
            bars.pop().close()

    return progress, close


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) with the database dump, every stored file and a manifest "
        "(row counts per table, SHA-256 per file, migrations, platform version)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="archive to write, e.g. /var/backups/sti/sti-2025-01-31.tar.gz"
        )
        parser.add_argument(
            "--db-format",
            choices=["auto", "native", "json"],
            default="auto",
            help="auto: SQLite backup API or pg_dump (custom format), JSON when pg_dump is "
            "missing; json: Django dumpdata, portable between SQLite and PostgreSQL",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, path, db_format, no_progress, **options):
        progress, close = progress_bars(no_progress)
        try:
            manifest = backup.create_backup(
                Path(path), db_format=db_format, progress=progress, log=self.stdout.write
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            close()
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {len(manifest['tables'])} bảng ({rows} dòng) và "
                f"{len(manifest['files'])} tệp vào {path} "
                f"({manifest['archive_size'] / 1e6:.1f} MB, {manifest['seconds']:.1f} giây)."
            )
        )
