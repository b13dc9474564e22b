import copy
import functools

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
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


class PasswordForm(AdminPasswordChangeForm):
    """The user admin's password form, saved by the audited service as the staff member."""

    def __init__(self, user, *args, actor, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        return services.user_password_set(
            actor=self.actor, user=self.user, address=None, now=timezone.now(),
            password=self.cleaned_data["password1"] if usable else None)


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Audited like every other change (``user.created`` / ``user.updated``), groups,
    permissions and the password page (``user.password_set``) included."""

    list_display = ("username", "email", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role"), {"fields": ("role", "organisation")}),)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page with :class:`PasswordForm` bound to this request's user (on
        a copy: the admin object is shared between requests)."""
        view = copy.copy(self)
        view.change_password_form = functools.partial(PasswordForm, actor=request.user)
        return BaseUserAdmin.user_change_password(view, request, id, form_url)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ServiceAdmin, BaseGroupAdmin):
    """A group's name and permissions, audited. The zone office's group is shown read-only:
    its permissions are the code's (:func:`~promzona.accounts.services.staff_group` sets them
    again after every migration), so an edit here would not last."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _zone_office(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _zone_office(obj)


def _zone_office(group: Group | None) -> bool:
    return group is not None and group.name == services.ZONE_OFFICE_GROUP
