from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "promzona.matching"
    label = "matching"
    verbose_name = _("Matching")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from promzona.audit.models import AuditEntry

        from .signals import audit_entry_saved

        post_save.connect(audit_entry_saved, sender=AuditEntry, dispatch_uid="matching-alerts")
