from django.core.management.base import BaseCommand

from sti.portal.sample import load_all


class Command(BaseCommand):
    help = "Load the realistic Cần Thơ sample data (idempotent)."

    def handle(self, *args, **options):
        load_all(lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
