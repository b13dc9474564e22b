from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from promzona.zones.admin import ServiceAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ("name", "bin", "country", "email")
    search_fields = ("name", "bin")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role"), {"fields": ("role", "organisation")}),)
