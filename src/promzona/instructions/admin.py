"""Instructions in the admin. Bodies are edited here; an instruction's wording, parties and
basis too, through the audited service. Its status, deadline, control flag, reports,
extensions and events are read-only: they change only through the actions on its page or the
API, which keep them dated. Nothing is deleted."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyInline, ServiceErrors

from . import services
from .models import Body, Event, Extension, Instruction, Report


class ServiceOnly(ServiceErrors):
    """Saved through the services; nothing is deleted."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields were saved by the service."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Body)
class BodyAdmin(ServiceOnly, admin.ModelAdmin):
    list_display = ("name_ru", "kind", "head")
    list_filter = ("kind",)
    search_fields = ("name_ru", "name_en", "head")
    filter_horizontal = ("members",)

    def save_model(self, request, obj, form, change):
        services.body_save(actor=request.user, body=obj, members=form.cleaned_data.get("members"))


class EventInline(ReadOnlyInline):
    model = Event
    fields = ("at", "kind", "actor", "status", "deadline", "on_control", "comment")


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("at", "author", "text", "decision", "decision_comment")


class ExtensionInline(ReadOnlyInline):
    model = Extension
    fields = ("requested_at", "old_deadline", "new_deadline", "reason", "status", "decision_comment")


@admin.register(Instruction)
class InstructionAdmin(ServiceOnly, admin.ModelAdmin):
    list_display = ("number", "title", "issuer", "executor", "controller", "deadline", "status",
                    "on_control")
    list_filter = ("status", "on_control", "issuer", "executor")
    search_fields = ("number", "title")
    date_hierarchy = "deadline"
    filter_horizontal = ("co_executors",)
    fields = ("number", "issued_on", "issuer", "issuer_person", "parent", "title", "text",
              "executor", "executor_person", "co_executors", "controller", "deadline", "status",
              "on_control", "accepted_at", "created_by", "created_at")
    readonly_fields = ("deadline", "status", "on_control", "accepted_at", "created_by",
                       "created_at")
    inlines = [ReportInline, ExtensionInline, EventInline]

    def has_add_permission(self, request):
        return False  # issued on the "New instruction" page, which records the first event

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data
                  if name in services.EDITABLE}
        services.instruction_update(actor=request.user, instruction=obj, **fields)
