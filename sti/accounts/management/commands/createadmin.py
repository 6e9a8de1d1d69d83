import getpass

from django.core.management.base import BaseCommand, CommandError

from sti.accounts.choices import UserRole
from sti.accounts.models import User


class Command(BaseCommand):
    help = "Create an administrator account (asks for the password unless --password is given)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None)

    def handle(self, *args, username, email, password, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Tài khoản {username!r} đã tồn tại.")
        if password is None:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        if len(password) < 8:
            raise CommandError("Mật khẩu cần ít nhất 8 ký tự.")
        User.objects.create_superuser(
            username=username, email=email, password=password, role=UserRole.ADMIN
        )
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản quản trị {username}."))
