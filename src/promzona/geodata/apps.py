import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeodataConfig(AppConfig):
    name = "promzona.geodata"
    verbose_name = _("Geodata")

    def ready(self) -> None:
        """Remove import files a crash left behind (``promzona imports clean`` does it too)."""
        from .uploads import imports_clean

        try:
            imports_clean()
        except OSError as exc:  # a read-only or missing var/ must not stop the server
            logging.getLogger(__name__).warning("Cannot clean old import files: %s", exc)
