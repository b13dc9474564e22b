"""The admin's shared bases: records only the services write are read-only here, and a save
a service refuses comes back to the form with its reason."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from promzona.core.errors import PromzonaError
from promzona.web.feedback import message_of

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only the services may write: viewable, never edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows of a record that only the services write: shown, never added, changed or deleted."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceErrors:
    """A save refused by the service rolls back and comes back to the form with the reason,
    not as a server error."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except PromzonaError as exc:
            self.message_user(request, message_of(exc), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail is read-only, for everybody."""

    list_display = ("at", "actor_label", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "action", "object_id")
    date_hierarchy = "at"
