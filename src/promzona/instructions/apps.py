from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionsConfig(AppConfig):
    name = "promzona.instructions"
    label = "instructions"
    verbose_name = _("Instructions (execution control)")
