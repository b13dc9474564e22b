from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "promzona.api"
    verbose_name = _("JSON API")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from .services import token_touch_pending

        request_finished.connect(token_touch_pending, dispatch_uid="promzona.api.token_touch")
