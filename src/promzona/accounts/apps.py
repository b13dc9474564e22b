from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_staff_group(using="default", **kwargs):
    """After migrations, give an existing zone office group the permissions of new models."""
    from django.contrib.auth.models import Group

    from .services import ZONE_OFFICE_GROUP, staff_group

    if Group.objects.using(using).filter(name=ZONE_OFFICE_GROUP).exists():
        staff_group()


class AccountsConfig(AppConfig):
    name = "promzona.accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        post_migrate.connect(_refresh_staff_group, dispatch_uid="promzona-staff-group")
