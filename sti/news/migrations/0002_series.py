"""The seven periodicals of the center's charter (seed 000), as data."""

from django.db import migrations

SERIES = [
    # slug, name, kind, description
    (
        "ban-tin-chon-loc",
        "Bản tin KH&CN chọn lọc",
        "selected",
        "Tuyển chọn tài liệu, kết quả nhiệm vụ và công nghệ mới đáng chú ý của Cần Thơ và vùng ĐBSCL.",
    ),
    ("ban-tin-nhanh", "Bản tin KH&CN nhanh", "flash", "Tin ngắn về hoạt động KH&CN trong tuần."),
    (
        "ban-tin-nong-nghiep-nong-thon",
        "Bản tin KH&CN phục vụ nông nghiệp – nông thôn",
        "rural",
        "Tiến bộ kỹ thuật, mô hình sản xuất và chuyển giao công nghệ cho nông dân.",
    ),
    ("tong-luan", "Tổng luận KH&CN", "review", "Tổng quan chuyên sâu về một vấn đề KH&CN."),
    ("chuyen-de", "Chuyên đề KH&CN", "thematic", "Thông tin chuyên đề theo yêu cầu của lãnh đạo."),
    ("tap-chi", "Tạp chí Khoa học và Công nghệ Cần Thơ", "journal", "Tạp chí của Sở KH&CN Cần Thơ."),
    (
        "tong-quan-hang-nam",
        "Tổng quan KH&CN hàng năm",
        "annual",
        "Bức tranh toàn cảnh hoạt động KH&CN của thành phố trong năm.",
    ),
]


def add_series(apps, schema_editor):
    Series = apps.get_model("news", "Series")
    for order, (slug, name, kind, description) in enumerate(SERIES):
        Series.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "description": description, "order": order},
        )


def remove_series(apps, schema_editor):
    Series = apps.get_model("news", "Series")
    Series.objects.filter(slug__in=[row[0] for row in SERIES], issues__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(add_series, remove_series)]
