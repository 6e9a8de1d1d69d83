"""Demo accounts for `sti demo` (never created in production unless `loaddemo` is run)."""

from sti.accounts.choices import UserRole
from sti.accounts.models import User

DEMO_USERS = [
    ("quantri", "demo-quantri", "Quản trị hệ thống", UserRole.ADMIN, True),
    ("bientap", "demo-bientap", "Nguyễn Thị Bích Ngọc", UserRole.EDITOR, False),
    ("nguoidung", "demo-nguoidung", "Trần Văn Phúc", UserRole.REGISTERED, False),
]


def load_sample(log) -> None:
    added = 0
    for username, password, full_name, role, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                # Editors work in the site's own pages; the Django admin is for administrators.
                "is_staff": role == UserRole.ADMIN,
                "is_superuser": superuser,
                "email": f"{username}@example.vn",
            },
        )
        if created:
            user.set_password(password)
            user.save()
            added += 1
    log(f"  tài khoản mẫu: thêm {added}, đã có {len(DEMO_USERS) - added}")
