"""`sti rebuild_similarity`: recompute the duplicate-check matrix (tasks + library documents).

The matrix catches up with new and edited records by itself; a rebuild refreshes the idf
weights after large imports. Run it in the worker's environment: the result is cached on
disk under STI_DATA_DIR/similarity/ and loaded by the web processes.
"""

import time

from django.core.management.base import BaseCommand

from sti.projects import jobs
from sti.projects.similarity import duplicates


class Command(BaseCommand):
    help = "Rebuild the duplicate-check (TF-IDF) matrix of tasks and library documents."

    def handle(self, *args, **options):
        started = time.perf_counter()
        index = duplicates.rebuild()
        self.stdout.write(
            f"{len(index):,} bản ghi, {index.nnz:,} phần tử khác 0, {time.perf_counter() - started:.1f} s"
        )
        checked = jobs.check_pending_proposals()
        if checked:
            self.stdout.write(f"{checked} đề xuất chờ tra cứu đã được tra cứu")
