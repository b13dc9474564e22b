from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from promzona.audit.admin import ReadOnlyAdmin
from promzona.zones.admin import ServiceAdmin

from . import services
from .forms import ThrottledAdminAuthenticationForm
from .models import JoinRequest, Organisation, User

# The admin's own login page goes through the same throttle as /accounts/login/.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ("name", "country", "bin", "registration_number", "confirmed_at", "email")
    list_filter = ("country", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "bin", "registration_number")
    readonly_fields = ("confirmed_at", "confirmed_by", "confirmation_note")

    def save_model(self, request, obj, form, change):
        """An organisation the zone office enters itself is confirmed by it."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                services.organisation_confirm(
                    actor=request.user, organisation=obj,
                    note=str(_("Entered by the zone office in the administration.")))


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    """Read-only: requests are decided on the registrations page (a note is required)."""

    list_display = ("user", "organisation_name", "country", "number", "status", "created_at",
                    "decided_by", "decided_at")
    list_filter = ("status", "country")
    search_fields = ("organisation_name", "number", "user__username", "user__email")


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Audited like every other change (``user.created`` / ``user.updated``), groups and
    permissions included."""

    list_display = ("username", "email", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role"), {"fields": ("role", "organisation")}),)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ServiceAdmin, BaseGroupAdmin):
    """A group's name and permissions, audited (the zone office's group grants the admin)."""
