"""Saved searches, notices and sent alerts, read-only for the zone office (users own them)."""

from django.contrib import admin

from .models import Alerted, Notice, SavedSearch


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnly):
    list_display = ("name", "user", "created_at")
    search_fields = ("name", "user__username")


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ("text", "user", "read", "created_at")
    list_filter = ("read",)


@admin.register(Alerted)
class AlertedAdmin(ReadOnly):
    list_display = ("saved_search", "plot", "created_at")
