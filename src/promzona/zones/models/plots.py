"""Plots: the site passport."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.core import geometry as geo
from promzona.zones.validators import validate_code

from .base import NON_NEGATIVE, GeoFeature, Translated
from .version import VersionedQuerySet
from .zones import Sector, Zone


class Plot(Translated, GeoFeature):
    """A land plot and its passport."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plot status", "Draft")
        PUBLISHED = "published", pgettext_lazy("plot status", "Free (published)")
        RESERVED = "reserved", pgettext_lazy("plot status", "Reserved")
        ALLOCATED = "allocated", pgettext_lazy("plot status", "Allocated")
        OCCUPIED = "occupied", pgettext_lazy("plot status", "Occupied")
        WITHDRAWN = "withdrawn", pgettext_lazy("plot status", "Withdrawn")

    class LandCategory(models.TextChoices):
        INDUSTRIAL = "industrial", _("Industry, transport and other non-agricultural land")
        SETTLEMENT = "settlement", _("Settlement land")
        RESERVE = "reserve", _("Reserve land")

    class Ownership(models.TextChoices):
        STATE = "state", _("State")
        MUNICIPAL = "municipal", _("Municipal")
        PRIVATE = "private", _("Private")

    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="plots")
    code = models.CharField(_("code"), max_length=32, validators=[validate_code])
    cadastral_number = models.CharField(
        _("cadastral number"), max_length=32, unique=True, null=True, blank=True
    )
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    declared_area_ha = models.DecimalField(
        _("declared area (ha)"), max_digits=10, decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    computed_area_ha = models.DecimalField(
        _("computed area (ha)"), max_digits=10, decimal_places=4, null=True, editable=False
    )
    area_mismatch = models.BooleanField(
        _("area mismatch"), default=False, editable=False,
        help_text=_("Declared and computed areas differ by more than 5%."),
    )
    land_category = models.CharField(
        _("land category"), max_length=16, choices=LandCategory.choices, default=LandCategory.INDUSTRIAL
    )
    permitted_sectors = models.ManyToManyField(
        Sector, verbose_name=_("permitted sectors"), blank=True, related_name="plots",
        help_text=_("Empty means any sector the zone allows."),
    )
    hazard_class_max = models.PositiveSmallIntegerField(
        _("most hazardous class allowed"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        default=3,
        help_text=_("Sanitary hazard class 1 (most hazardous) to 5; production of this class or a "
                    "less hazardous one (higher number) is allowed."),
    )
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    deal_lease = models.BooleanField(_("lease possible"), default=True)
    lease_price_kzt_ha_year = models.DecimalField(
        _("lease price (KZT per ha per year)"), max_digits=16, decimal_places=2,
        null=True, blank=True, validators=NON_NEGATIVE,
    )
    deal_sale = models.BooleanField(_("sale possible"), default=False)
    sale_price_kzt = models.DecimalField(
        _("sale price (KZT)"), max_digits=18, decimal_places=2, null=True, blank=True,
        validators=NON_NEGATIVE,
    )
    deal_free_use = models.BooleanField(_("temporary free use possible"), default=False)
    existing_buildings = models.TextField(_("existing buildings"), blank=True)
    existing_buildings_kk = models.TextField(_("existing buildings (Kazakh)"), blank=True)
    existing_buildings_en = models.TextField(_("existing buildings (English)"), blank=True)
    rail_spur = models.BooleanField(_("rail spur on or at the plot"), default=False)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    dist_rail_m = models.FloatField(_("distance to rail (m)"), null=True, editable=False)
    dist_road_m = models.FloatField(_("distance to road (m)"), null=True, editable=False)
    dist_airport_m = models.FloatField(_("distance to airport (m)"), null=True, editable=False)
    dist_town_centre_m = models.FloatField(_("distance to town centre (m)"), null=True, editable=False)
    source_document = models.CharField(_("source document"), max_length=255, blank=True)
    source_document_kk = models.CharField(_("source document (Kazakh)"), max_length=255,
                                          blank=True)
    source_document_en = models.CharField(_("source document (English)"), max_length=255,
                                          blank=True)
    verified_by = models.CharField(_("verified by"), max_length=255, blank=True)
    verified_by_kk = models.CharField(_("verified by (Kazakh)"), max_length=255, blank=True)
    verified_by_en = models.CharField(_("verified by (English)"), max_length=255, blank=True)
    verified_at = models.DateField(_("verified on"), null=True, blank=True)
    needs_reverification = models.BooleanField(
        _("needs re-verification"), default=False,
        help_text=_("Set when a fact of the passport is known or suspected to be out of date."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["zone", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="plot_code_unique_in_zone"),
            models.CheckConstraint(
                condition=Q(hazard_class_max__gte=1, hazard_class_max__lte=5),
                name="plot_hazard_class_range",
            ),
            models.CheckConstraint(condition=Q(declared_area_ha__gt=0), name="plot_area_positive"),
        ]
        indexes = [
            # Covers the land figures (count and hectares by zone and status) without reading
            # the plots' rows (``dashboard.records``).
            models.Index(fields=["zone", "status", "computed_area_ha", "declared_area_ha"],
                         name="plot_zone_status_area"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_ru}".strip()

    @property
    def name(self) -> str:
        return self.translated("name") or self.code

    @property
    def description(self) -> str:
        return self.translated("description")

    def is_stale(self, today: dt.date | None = None) -> bool:
        """Flagged by staff, never verified, or verified longer ago than the stale period."""
        if self.needs_reverification or self.verified_at is None:
            return True
        today = today or timezone.localdate()
        return (today - self.verified_at).days > settings.PROMZONA_STALE_AFTER_DAYS

    @classmethod
    def is_ledger_change(cls, before: str, after: str) -> bool:
        """Whether moving from status ``before`` to ``after`` enters or leaves a reservation:
        only the reservation services may do that, so that plots and reservations agree."""
        return before != after and bool({before, after} & {cls.Status.RESERVED,
                                                            cls.Status.ALLOCATED})

    def clean(self) -> None:
        stored = None
        if self.pk is not None:
            stored = Plot.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        self.clean_status(stored)
        shape = self.validated_shape()
        if self.zone_id and self.zone.geometry:
            if not geo.zone_cover(self.zone.shape()).covers(shape):
                raise ValidationError(
                    {"geometry": _("The plot lies (partly) outside its zone's boundary.")},
                    code="outside_zone",
                )
        self.clean_deals()

    def clean_status(self, stored: str | None) -> None:
        """A new plot may not start reserved or allocated, nor a stored one (whose status is
        ``stored``) enter or leave a reservation by an edit."""
        if self.pk is None and self.status in (self.Status.RESERVED, self.Status.ALLOCATED):
            raise ValidationError({"status": _(
                "A new plot cannot start %(status)s: plots are reserved and allocated through "
                "the applications review.") % {"status": self.Status(self.status).label}},
                code="ledger_status")
        if stored is not None and self.is_ledger_change(stored, self.status):
            raise ValidationError({"status": _(
                "The status cannot be edited from %(before)s to %(after)s: plots are "
                "reserved, allocated and released through the applications review."
            ) % {"before": self.Status(stored).label, "after": self.Status(self.status).label}},
                code="ledger_status")

    def clean_deals(self) -> None:
        """An offer for lease or sale names its price."""
        if self.deal_lease and self.lease_price_kzt_ha_year is None:
            raise ValidationError(
                {"lease_price_kzt_ha_year": _("A plot offered for lease needs a lease price.")}
            )
        if self.deal_sale and self.sale_price_kzt is None:
            raise ValidationError({"sale_price_kzt": _("A plot offered for sale needs a price.")})
