from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "promzona.enquiries"
    verbose_name = _("Enquiries")
    default_auto_field = "django.db.models.BigAutoField"
