from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "sti.directory"
    verbose_name = _("Danh bạ tổ chức và nhà khoa học")
