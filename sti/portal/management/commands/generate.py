"""`sti generate --scale N [--seed S]`: synthetic but realistic records for benchmarks.

Every app that registers `generate(scale, seed, progress)` with
`sti.core.registries.register_sample_data` is called in INSTALLED_APPS order (the directory first,
so later apps find organizations and researchers to link to). Each app decides how its N
records are split among its models. `progress(label, total)` returns a callback that takes
the number of records just written. Bulk writes skip the search signals: run `sti reindex`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sti.portal.sample import generators


class Command(BaseCommand):
    help = "Create N synthetic records per app (organizations, researchers, ...) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, required=True, help="number of records each app creates"
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="random seed (same seed, same records)"
        )
        parser.add_argument(
            "--only", nargs="*", default=None, help="app labels to run, e.g. directory"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, scale, seed, only, no_progress, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        selected = [
            (label, function) for label, function in generators() if not only or label in only
        ]
        if not selected:
            raise CommandError("No app defines sample.generate(scale, seed, progress).")
        bars: list[tqdm] = []

        def progress(label: str, total: int) -> Callable[[int], None]:
            for previous in bars:  # one bar at a time: the previous stage is done
                previous.close()
            bar = tqdm(total=total, desc=label, unit=" bản ghi", disable=no_progress, leave=True)
            bars.append(bar)
            return bar.update

        for label, function in selected:
            started = time.monotonic()
            counts = function(scale, seed, progress)
            for bar in bars:
                bar.close()
            bars.clear()
            summary = ", ".join(f"{name}: {count}" for name, count in (counts or {}).items())
            self.stdout.write(f"{label}: {summary} ({time.monotonic() - started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(
                "Đã tạo dữ liệu tổng hợp. Chạy `sti reindex` để cập nhật chỉ mục tìm kiếm."
            )
        )
