"""Contacts are edited in the admin (through the audited zone services); enquiries are only
read there — the inbox marks them, audited."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyAdmin
from promzona.zones.admin import ServiceAdmin

from .models import Contact, Enquiry


@admin.register(Contact)
class ContactAdmin(ServiceAdmin):
    list_display = ("name_ru", "name_en", "zone", "role_ru", "email", "receives_enquiries",
                    "active")
    list_filter = ("zone", "receives_enquiries", "active")
    search_fields = ("name_ru", "name_kk", "name_en", "email")


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "name", "organisation", "email", "zone", "status")
    list_filter = ("status", "zone")
    search_fields = ("name", "organisation", "email")
