"""Saved searches, notices and sent alerts, read-only for the zone office (users own them)."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyAdmin

from .models import Alerted, Notice, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "created_at")
    search_fields = ("name", "user__username")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("text", "user", "read", "created_at")
    list_filter = ("read",)


@admin.register(Alerted)
class AlertedAdmin(ReadOnlyAdmin):
    list_display = ("saved_search", "plot", "created_at")
