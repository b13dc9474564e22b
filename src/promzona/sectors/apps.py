from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectorsConfig(AppConfig):
    name = "promzona.sectors"
    label = "sectors"
    verbose_name = _("Sector analytics")
    default_auto_field = "django.db.models.BigAutoField"
