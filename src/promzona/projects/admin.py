"""Projects in the admin, read-only (changes go through the services and the project pages);
the zone's obligation rules are edited here, saved and audited by ``feature_save``."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyAdmin, ReadOnlyInline
from promzona.zones.admin import ServiceAdmin

from .models import Milestone, ObligationRule, PlanYear, Project, Report, StatusUpdate


@admin.register(ObligationRule)
class ObligationRuleAdmin(ServiceAdmin):
    list_display = ("zone", "milestone", "months")
    list_filter = ("zone",)


class YearInline(ReadOnlyInline):
    model = PlanYear
    fields = ("year", "investment_kzt", "jobs")


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ("kind", "due_on", "done_on", "obligation")


class UpdateInline(ReadOnlyInline):
    model = StatusUpdate
    fields = ("on", "health", "comment")


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("year", "investment_kzt", "jobs", "status", "reported_at", "reviewed_at")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "agreement_on", "status", "terminated_on")
    list_filter = ("status",)
    search_fields = ("application__project_name", "application__organisation__name")
    inlines = [YearInline, MilestoneInline, UpdateInline, ReportInline]
