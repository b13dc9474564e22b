"""What every zone model shares: names in three languages, a geometry with its bbox."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from promzona.core import geometry as geo
from promzona.core.errors import GeometryError

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
                {"geometry": _("Invalid geometry: %(reason)s") % {"reason": exc.translated(gettext)}},
                code="invalid_geometry",
            ) from exc

    def clean(self) -> None:
        super().clean()
        self.validated_shape()
