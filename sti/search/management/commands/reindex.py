from django.core.management.base import BaseCommand
from tqdm import tqdm

from sti.search import services
from sti.search.registry import all_specs


class Command(BaseCommand):
    help = "Rebuild the search index from the database (all types, or the ones named)."

    def add_arguments(self, parser):
        parser.add_argument("types", nargs="*", help="record types, e.g. organization researcher")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, types, no_progress, **options):
        known = {spec.type for spec in all_specs()}
        unknown = set(types) - known
        if unknown:
            self.stderr.write(
                f"Unknown types: {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}"
            )
            return
        bars = []

        def progress(label: str, total: int):
            bar = tqdm(total=total, desc=label, unit=" bản ghi", disable=no_progress, leave=True)
            bars.append(bar)
            return bar.update

        written = services.reindex(types or None, progress=progress)
        for bar in bars:
            bar.close()
        self.stdout.write(self.style.SUCCESS(f"Đã lập chỉ mục {written} bản ghi."))
