"""Works in the admin, read-only: plans, progress, inspections and acceptance change only
through the services (the works pages and the API), which keep the baseline, the built line or
upgrade and the audit trail in step."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Inspection, Work, WorkPlan, WorkProgress


class PlanInline(ReadOnlyInline):
    model = WorkPlan
    fields = ("version", "planned_start", "planned_finish", "contract_value_kzt", "reason",
              "created_at")


class ProgressInline(ReadOnlyInline):
    model = WorkProgress
    fields = ("reported_on", "percent", "spent_kzt", "remarks")


class InspectionInline(ReadOnlyInline):
    model = Inspection
    fields = ("inspected_on", "inspector", "findings", "fix_by", "fixed_on")


@admin.register(Work)
class WorkAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "zone", "contractor", "funding_source", "planned_finish",
                    "status")
    list_filter = ("zone", "kind", "status", "funding_source")
    search_fields = ("name", "contractor", "contract_number")
    inlines = [PlanInline, ProgressInline, InspectionInline]
