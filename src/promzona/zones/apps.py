from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "promzona.zones"
    verbose_name = _("Zones, plots and utilities")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system check
        from .signals import connect

        connect()
