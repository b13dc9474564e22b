"""The zone office's admin: every model editable; saves go through the services (validated,
derived fields filled, audited)."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promzona.audit.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceErrors
from promzona.core.errors import PromzonaError
from promzona.web.feedback import message_of

from . import services
from .models import (
    AnchorEnterprise,
    CapacityCommitment,
    InfrastructureProject,
    MapFeature,
    Plot,
    PriorityDirection,
    Sector,
    UtilityLine,
    UtilitySource,
    Zone,
)
from .widgets import GeoJSONPreviewWidget


class ServiceAdmin(ServiceErrors, admin.ModelAdmin):
    """Saves and deletes through :mod:`promzona.zones.services`."""

    formfield_overrides = {models.JSONField: {"widget": GeoJSONPreviewWidget}}

    def save_model(self, request, obj, form, change):
        services.feature_save(actor=request.user, obj=obj)

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields and inline rows through the services, audited like the rest."""
        services.feature_save_related(actor=request.user, obj=form.instance, save=form.save_m2m)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            services.feature_delete(actor=request.user, obj=row, now=timezone.now())
        for row in rows:
            services.feature_save(actor=request.user, obj=row)
        for row_form in formset.saved_forms:
            services.feature_save_related(actor=request.user, obj=row_form.instance,
                                          save=row_form.save_m2m)

    def delete_model(self, request, obj):
        try:
            services.feature_delete(actor=request.user, obj=obj, now=timezone.now())
        except PromzonaError as exc:
            self.message_user(request, message_of(exc), level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Sector)
class SectorAdmin(ServiceAdmin):
    list_display = ("code", "name_ru", "name_kk", "name_en")
    search_fields = ("code", "name_ru", "name_en")


class DirectionInline(admin.TabularInline):
    model = PriorityDirection
    extra = 0
    filter_horizontal = ("sectors",)


@admin.register(Zone)
class ZoneAdmin(ServiceAdmin):
    list_display = ("slug", "name_ru", "kind", "status", "is_illustrative")
    filter_horizontal = ("priority_sectors",)
    inlines = [DirectionInline]


@admin.register(Plot)
class PlotAdmin(ServiceAdmin):
    list_display = (
        "code", "zone", "status", "declared_area_ha", "computed_area_ha", "area_mismatch",
        "hazard_class_max", "rail_spur", "verified_at", "needs_reverification",
    )
    list_filter = ("zone", "status", "area_mismatch", "rail_spur", "needs_reverification")
    search_fields = ("code", "cadastral_number", "name_ru")
    filter_horizontal = ("permitted_sectors",)
    readonly_fields = (
        "computed_area_ha", "area_mismatch", "dist_rail_m", "dist_road_m", "dist_airport_m",
        "dist_town_centre_m",
    )
    list_per_page = 50


class CommitmentInline(ReadOnlyInline):
    model = CapacityCommitment
    fields = ("amount", "status", "holder", "created_at", "released_at")


@admin.register(UtilitySource)
class UtilitySourceAdmin(ServiceAdmin):
    list_display = ("code", "name_ru", "kind", "capacity", "committed", "free", "zone")
    list_filter = ("zone", "kind")
    readonly_fields = ("committed",)
    inlines = [CommitmentInline]

    @admin.display(description=_("free"))
    def free(self, obj):
        return obj.free


@admin.register(UtilityLine)
class UtilityLineAdmin(ServiceAdmin):
    list_display = ("code", "name", "kind", "status", "planned_completion", "source", "zone")
    list_filter = ("zone", "kind", "status")


@admin.register(MapFeature)
class MapFeatureAdmin(ServiceAdmin):
    list_display = ("kind", "name", "zone")
    list_filter = ("zone", "kind")


@admin.register(AnchorEnterprise)
class AnchorEnterpriseAdmin(ServiceAdmin):
    list_display = ("name_ru", "sector", "zone", "employees")


@admin.register(InfrastructureProject)
class InfrastructureProjectAdmin(ServiceAdmin):
    list_display = ("name_ru", "status", "source", "capacity_added", "planned_completion", "zone")
    list_filter = ("zone", "status")


@admin.register(CapacityCommitment)
class CapacityCommitmentAdmin(ReadOnlyAdmin):
    """The ledger is read-only here: commitments are made and released by reservations."""

    list_display = ("source", "amount", "status", "holder", "created_at", "released_at")
    list_filter = ("status", "source")
