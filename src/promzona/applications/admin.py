"""Applications and reservations in the admin, read-only: every change goes through the
services (the review pages and the API), which keep the capacity ledger and the audit trail."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Application, Attachment, Comment, PreferredPlot, Reservation


class PreferredInline(ReadOnlyInline):
    model = PreferredPlot


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "organisation", "status", "sector", "investment_kzt",
                    "jobs_planned", "created_at")
    list_filter = ("status",)
    search_fields = ("project_name", "organisation__name", "organisation__bin")
    inlines = [PreferredInline]


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ("plot", "application", "status", "created_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("plot__code", "application__project_name")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("application", "author", "created_at")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "original_name", "content_type", "size", "uploaded_at")
