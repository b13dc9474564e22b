"""Zones, plots (the site passport), utility sources with a capacity ledger, lines, projects.

Geometry is GeoJSON in WGS 84 plus a bounding box for coarse filtering; see
:mod:`promzona.core.geometry`. Derived fields (bbox, computed area, distances) are filled by the
services in :mod:`promzona.zones.services`, not by ``save()``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from promzona.core import geometry as geo
from promzona.core.errors import GeometryError
from promzona.core.utilities import UTILITY_KINDS
from promzona.zones.validators import validate_code

from .fields import ThousandthsField

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Translated(models.Model):
    """Names (and descriptions) in Russian, Kazakh and English; Russian is the fallback."""

    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, lang: str | None = None) -> str:
        lang = (lang or get_language() or "ru")[:2]
        return getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_ru", "")

    @property
    def name(self) -> str:
        return self.translated("name")

    def __str__(self) -> str:
        return self.name_ru


class GeoFeature(models.Model):
    """GeoJSON geometry in WGS 84 with its bounding box."""

    geometry_kind: tuple[str, ...] = geo.POLYGONAL
    geometry = models.JSONField(_("geometry (GeoJSON, WGS 84)"))
    min_lon = models.FloatField(editable=False, null=True)
    min_lat = models.FloatField(editable=False, null=True)
    max_lon = models.FloatField(editable=False, null=True)
    max_lat = models.FloatField(editable=False, null=True)

    class Meta:
        abstract = True

    def shape(self):
        return geo.parse_geojson(self.geometry, allowed=self.geometry_kind)

    def validated_shape(self):
        """Validate ``geometry``, raising Django's ValidationError on the field."""
        try:
            if self.geometry_kind == geo.POLYGONAL:
                return geo.validate_polygon(self.geometry)
            if self.geometry_kind == geo.LINEAR:
                return geo.validate_line(self.geometry)
            return geo.validate_point(self.geometry)
        except GeometryError as exc:
            raise ValidationError(
                {"geometry": _("Invalid geometry: %(reason)s") % {"reason": exc.message}},
                code="invalid_geometry",
            ) from exc

    def clean(self) -> None:
        super().clean()
        self.validated_shape()


class Sector(models.Model):
    """An economic activity by OKED code (Kazakhstan's classification, close to NACE Rev. 2)."""

    code = models.CharField(_("OKED code"), max_length=10, primary_key=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sector (OKED)")
        verbose_name_plural = _("sectors (OKED)")
        ordering = ["code"]

    translated = Translated.translated
    name = Translated.name

    def __str__(self) -> str:
        return f"{self.code} {self.name_ru}"


class Zone(Translated, GeoFeature):
    class Kind(models.TextChoices):
        SMALL = "small_industrial_zone", _("Small industrial zone")
        INDUSTRIAL = "industrial_zone", _("Industrial zone")
        SEZ = "sez", _("Special economic zone")
        PARK = "industrial_park", _("Industrial park")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FORMING = "forming", _("Forming")
        OPERATING = "operating", _("Operating")

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    municipality = models.CharField(_("municipality"), max_length=255)
    management_company = models.CharField(_("management company"), max_length=255, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    incentives_ru = models.TextField(_("incentives (Russian)"), blank=True)
    incentives_kk = models.TextField(_("incentives (Kazakh)"), blank=True)
    incentives_en = models.TextField(_("incentives (English)"), blank=True)
    priority_sectors = models.ManyToManyField(
        Sector, verbose_name=_("priority sectors"), blank=True, related_name="priority_in"
    )
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_address = models.CharField(_("contact address"), max_length=500, blank=True)
    website = models.URLField(_("website"), blank=True)
    admin_procedure_days = models.PositiveIntegerField(
        _("administrative procedure (days)"),
        default=30,
        help_text=_("Days from approval to the right to build: land allocation, permits."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative data"),
        default=False,
        help_text=_("Demo data: shown with a notice that the figures are not real."),
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["slug"]

    @property
    def description(self) -> str:
        return self.translated("description")

    @property
    def incentives(self) -> str:
        return self.translated("incentives")


class PriorityDirection(Translated):
    """One of a zone's priority directions (e.g. metalworking) and the OKED codes it covers."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="directions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="directions")

    class Meta:
        verbose_name = _("priority direction")
        verbose_name_plural = _("priority directions")
        ordering = ["zone", "position"]


class MapFeature(GeoFeature):
    """Reference geography: town, shoreline, roads, rail, airport. Distances are measured to these."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town")
        TOWN_CENTRE = "town_centre", _("Town centre")
        SHORELINE = "shoreline", _("Shoreline")
        ROAD = "road", _("Road")
        RAIL = "rail", _("Railway")
        AIRPORT = "airport", _("Airport")

    geometry_kind = geo.POLYGONAL + geo.LINEAR + geo.POINT
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="map_features")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("map feature")
        verbose_name_plural = _("map features")
        ordering = ["zone", "kind", "name"]

    def validated_shape(self):
        try:
            return geo.check_size(geo.parse_geojson(self.geometry, allowed=self.geometry_kind))
        except GeometryError as exc:
            raise ValidationError(
                {"geometry": _("Invalid geometry: %(reason)s") % {"reason": exc.message}}
            ) from exc

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()


class AnchorEnterprise(Translated):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="anchors")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)

    class Meta:
        verbose_name = _("anchor enterprise")
        verbose_name_plural = _("anchor enterprises")


class Plot(Translated, GeoFeature):
    """A land plot and its passport."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Free (published)")
        RESERVED = "reserved", _("Reserved")
        ALLOCATED = "allocated", _("Allocated")
        OCCUPIED = "occupied", _("Occupied")
        WITHDRAWN = "withdrawn", _("Withdrawn")

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
    rail_spur = models.BooleanField(_("rail spur on or at the plot"), default=False)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    dist_rail_m = models.FloatField(_("distance to rail (m)"), null=True, editable=False)
    dist_road_m = models.FloatField(_("distance to road (m)"), null=True, editable=False)
    dist_airport_m = models.FloatField(_("distance to airport (m)"), null=True, editable=False)
    dist_town_centre_m = models.FloatField(_("distance to town centre (m)"), null=True, editable=False)
    source_document = models.CharField(_("source document"), max_length=255, blank=True)
    verified_by = models.CharField(_("verified by"), max_length=255, blank=True)
    verified_at = models.DateField(_("verified on"), null=True, blank=True)
    needs_reverification = models.BooleanField(
        _("needs re-verification"), default=False,
        help_text=_("Set when a fact of the passport is known or suspected to be out of date."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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
            # the plots' rows (``dashboard.selectors``).
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
        if self.pk is None and self.status in (self.Status.RESERVED, self.Status.ALLOCATED):
            raise ValidationError({"status": _(
                "A new plot cannot start %(status)s: plots are reserved and allocated through "
                "the applications review.") % {"status": self.status}}, code="ledger_status")
        if self.pk is not None:
            stored = Plot.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and self.is_ledger_change(stored, self.status):
                raise ValidationError({"status": _(
                    "The status cannot be edited from %(before)s to %(after)s: plots are "
                    "reserved, allocated and released through the applications review."
                ) % {"before": stored, "after": self.status}}, code="ledger_status")
        shape = self.validated_shape()
        if self.zone_id and self.zone.geometry:
            zone_shape = self.zone.shape()
            # Tolerate survey noise of about a metre on the zone boundary.
            if not zone_shape.buffer(1e-5).covers(shape):
                raise ValidationError(
                    {"geometry": _("The plot lies (partly) outside its zone's boundary.")},
                    code="outside_zone",
                )
        if self.deal_lease and self.lease_price_kzt_ha_year is None:
            raise ValidationError(
                {"lease_price_kzt_ha_year": _("A plot offered for lease needs a lease price.")}
            )
        if self.deal_sale and self.sale_price_kzt is None:
            raise ValidationError({"sale_price_kzt": _("A plot offered for sale needs a price.")})


class UtilityKindChoices(models.TextChoices):
    POWER = "power", _("Power (kW)")
    WATER = "water", _("Water (m³/day)")
    SEWAGE = "sewage", _("Sewage (m³/day)")
    HEAT = "heat", _("Heat (Gcal/h)")
    GAS = "gas", _("Gas (m³/h)")


class UtilitySource(Translated, GeoFeature):
    """A capacity node (substation, water intake, CHP, gas station, treatment plant).

    ``committed`` is the sum of active :class:`CapacityCommitment` rows, maintained by
    :func:`promzona.zones.services.capacity_commit` with one conditional UPDATE; the database
    refuses ``committed > capacity`` with a check constraint. Amounts are exact thousandths
    (:class:`~promzona.zones.fields.ThousandthsField`) on every database.
    """

    geometry_kind = geo.POINT
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="sources")
    code = models.CharField(_("code"), max_length=32, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=16, choices=UtilityKindChoices.choices)
    capacity = ThousandthsField(
        _("capacity"), validators=NON_NEGATIVE,
        help_text=_("In the kind's unit: kW, m³/day, Gcal/h or m³/h."),
    )
    committed = ThousandthsField(_("committed"), default=Decimal("0"), editable=False)
    tariff_kzt = models.DecimalField(
        _("tariff (KZT per unit consumed)"), max_digits=12, decimal_places=3, default=Decimal("0"),
        validators=NON_NEGATIVE, help_text=_("Per kWh, m³, Gcal or m³ of gas."),
    )
    operator = models.CharField(_("operator"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("utility source")
        verbose_name_plural = _("utility sources")
        ordering = ["zone", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="source_code_unique_in_zone"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="source_capacity_non_negative"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="source_committed_non_negative"),
            models.CheckConstraint(
                condition=Q(committed__lte=F("capacity")), name="source_committed_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_ru}"

    @property
    def free(self) -> Decimal:
        return self.capacity - self.committed

    @property
    def unit(self) -> str:
        return UTILITY_KINDS[self.kind].unit

    def clean(self) -> None:
        super().clean()
        if self.capacity is not None and self.committed is not None and self.committed > self.capacity:
            raise ValidationError(
                {"capacity": _("Capacity %(capacity)s is below the %(committed)s already committed.")
                 % {"capacity": self.capacity, "committed": self.committed}},
                code="below_committed",
            )
        stored = (UtilitySource.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
                  if self.pk is not None else None)
        if stored is not None and stored != self.kind and (
                self.lines.exists() or self.commitments.filter(status="active").exists()):
            raise ValidationError({"kind": _(
                "The kind cannot change while lines are fed from this source or capacity is "
                "committed on it (its units would change meaning).")}, code="kind_in_use")


class CapacityCommitment(models.Model):
    """One line of a source's capacity ledger."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released")

    source = models.ForeignKey(UtilitySource, on_delete=models.PROTECT, related_name="commitments")
    amount = ThousandthsField(_("amount"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    holder = models.CharField(_("held for"), max_length=255)
    created_at = models.DateTimeField(_("created at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("capacity commitment")
        verbose_name_plural = _("capacity commitments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source.code}: {self.amount} ({self.holder})"


class UtilityLine(GeoFeature):
    """A network segment (power line, water main, heat pipe, sewer, gas pipe)."""

    class Status(models.TextChoices):
        EXISTING = "existing", _("Existing")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        PLANNED = "planned", _("Planned")

    geometry_kind = geo.LINEAR
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="lines")
    code = models.CharField(_("code"), max_length=32, validators=[validate_code])
    name = models.CharField(_("name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UtilityKindChoices.choices)
    source = models.ForeignKey(
        UtilitySource, verbose_name=_("fed from"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="lines",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    connection_fixed_cost_kzt = models.DecimalField(
        _("connection fixed cost (KZT)"), max_digits=16, decimal_places=2, default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    connection_cost_per_km_kzt = models.DecimalField(
        _("connection cost per km (KZT)"), max_digits=16, decimal_places=2, default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    connection_lead_days = models.PositiveIntegerField(_("connection lead time (days)"), default=90)

    class Meta:
        verbose_name = _("utility line")
        verbose_name_plural = _("utility lines")
        ordering = ["zone", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="line_code_unique_in_zone"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.status != self.Status.EXISTING and self.planned_completion is None:
            raise ValidationError(
                {"planned_completion": _("A planned or unfinished line needs a completion date.")}
            )
        if self.source_id and self.source.kind != self.kind:
            raise ValidationError({"source": _("The source is of another kind than the line.")})


class InfrastructureProject(Translated):
    """Engineering works of the administration: new lines, capacity upgrades."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="infrastructure_projects")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    source = models.ForeignKey(
        UtilitySource, verbose_name=_("source upgraded"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="upgrades",
    )
    line = models.ForeignKey(
        UtilityLine, verbose_name=_("line built"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="projects",
    )
    capacity_added = models.DecimalField(
        _("capacity added"), max_digits=16, decimal_places=3, default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    cost_kzt = models.DecimalField(
        _("cost (KZT)"), max_digits=18, decimal_places=2, null=True, blank=True,
        validators=NON_NEGATIVE,
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"))
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)

    class Meta:
        verbose_name = _("infrastructure project")
        verbose_name_plural = _("infrastructure projects")
        ordering = ["zone", "planned_completion"]

    def clean(self) -> None:
        super().clean()
        if self.capacity_added and not self.source_id:
            raise ValidationError({"source": _("Capacity added needs the source it is added to.")})
        if self.start_date and self.planned_completion and self.start_date > self.planned_completion:
            raise ValidationError({"planned_completion": _("Completion is before the start.")})
