from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sti.portal import backup
from sti.portal.management.commands.backup import progress_bars


class Command(BaseCommand):
    help = (
        "Restore an archive written by `sti backup` into an empty database and data folder: "
        "checksums first, then the database and files, then the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="archive written by `sti backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though the database or MEDIA_ROOT is not empty (replaces the "
            "database; files of the archive overwrite those of the same name)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, path, force, no_progress, **options):
        progress, close = progress_bars(no_progress)
        try:
            report = backup.restore_backup(
                Path(path), force=force, progress=progress, log=self.stdout.write
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            close()
        self._summary(report)

    def _summary(self, report: backup.RestoreReport) -> None:
        manifest = report.manifest
        self.stdout.write(
            f"Bản sao lưu {manifest['created_at']}, STI {manifest['platform']['version']}, "
            f"{manifest['database']['engine']} ({manifest['database']['format']})."
        )
        width = max((len(name) for name in manifest["tables"]), default=10)
        self.stdout.write(f"{'bảng':<{width}}  {'bản kê':>8}  {'khôi phục':>9}")
        for name in sorted(set(manifest["tables"]) | set(report.counts)):
            expected, got = manifest["tables"].get(name), report.counts.get(name)
            mark = "" if expected == got else "  ← lệch"
            self.stdout.write(
                f"{name:<{width}}  {'—' if expected is None else expected:>8}  "
                f"{'—' if got is None else got:>9}{mark}"
            )
        if report.migrated:
            self.stdout.write(f"Đã áp dụng thêm {len(report.migrated)} migration.")
        self.stdout.write(
            f"Đã khôi phục {len(report.counts)} bảng, {report.files} tệp; "
            f"đã lập chỉ mục {report.indexed} bản ghi."
        )
        mismatches = report.mismatches
        if mismatches:
            raise CommandError(
                f"{len(mismatches)} bảng có số dòng khác bản kê: " + ", ".join(mismatches)
            )
        self.stdout.write(self.style.SUCCESS("Số dòng mọi bảng khớp với bản kê."))
