from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from promzona.zones.admin import ServiceAdmin

from .forms import ThrottledAdminAuthenticationForm
from .models import Organisation, User

# The admin's own login page goes through the same throttle as /accounts/login/.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ("name", "bin", "country", "email")
    search_fields = ("name", "bin")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role"), {"fields": ("role", "organisation")}),)
