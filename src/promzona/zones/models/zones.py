"""Zones, OKED sectors, priority directions, map features and anchor enterprises."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from promzona.core import geometry as geo
from promzona.core.errors import GeometryError

from .base import GeoFeature, Translated
from .version import VersionedQuerySet


class Sector(models.Model):
    """An economic activity by OKED code (Kazakhstan's classification, close to NACE Rev. 2)."""

    code = models.CharField(_("OKED code"), max_length=10, primary_key=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    objects = VersionedQuerySet.as_manager()

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
        PLANNED = "planned", pgettext_lazy("zone status", "Planned")
        FORMING = "forming", pgettext_lazy("zone status", "Forming")
        OPERATING = "operating", pgettext_lazy("zone status", "Operating")

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    municipality = models.CharField(_("municipality"), max_length=255)
    municipality_kk = models.CharField(_("municipality (Kazakh)"), max_length=255, blank=True)
    municipality_en = models.CharField(_("municipality (English)"), max_length=255, blank=True)
    management_company = models.CharField(_("management company"), max_length=255, blank=True)
    management_company_kk = models.CharField(_("management company (Kazakh)"), max_length=255,
                                             blank=True)
    management_company_en = models.CharField(_("management company (English)"), max_length=255,
                                             blank=True)
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
    contact_name_kk = models.CharField(_("contact person (Kazakh)"), max_length=255, blank=True)
    contact_name_en = models.CharField(_("contact person (English)"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_address = models.CharField(_("contact address"), max_length=500, blank=True)
    contact_address_kk = models.CharField(_("contact address (Kazakh)"), max_length=500,
                                          blank=True)
    contact_address_en = models.CharField(_("contact address (English)"), max_length=500,
                                          blank=True)
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

    objects = VersionedQuerySet.as_manager()

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

    zone = models.ForeignKey(Zone,
                             verbose_name=_("zone"), on_delete=models.CASCADE, related_name="directions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="directions")

    objects = VersionedQuerySet.as_manager()

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
    zone = models.ForeignKey(Zone,
                             verbose_name=_("zone"), on_delete=models.CASCADE, related_name="map_features")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255, blank=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("map feature")
        verbose_name_plural = _("map features")
        ordering = ["zone", "kind", "name"]

    def validated_shape(self):
        try:
            return geo.check_size(geo.parse_geojson(self.geometry, allowed=self.geometry_kind))
        except GeometryError as exc:
            raise ValidationError(
                {"geometry": _("Invalid geometry: %(reason)s") % {"reason": exc.translated(gettext)}}
            ) from exc

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()


class AnchorEnterprise(Translated):
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="anchors")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("anchor enterprise")
        verbose_name_plural = _("anchor enterprises")
