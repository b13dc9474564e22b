from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OptimiseConfig(AppConfig):
    name = "promzona.optimise"
    label = "optimise"
    verbose_name = _("Optimisation")
    default_auto_field = "django.db.models.BigAutoField"
