"""The portal's face: the name, logo and colour a deployment shows (one row, edited in the
admin). Without it the portal is plain "promzona" in its default blue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from promzona.core import colours
from promzona.core.errors import InputError
from promzona.zones.models import Translated

DEFAULT_COLOUR = "#0b5cad"


def validate_brand_colour(value: str) -> None:
    """``#rrggbb`` dark enough for white text on it and for links in it on white (WCAG AA)."""
    try:
        ratio = colours.contrast_ratio(value, "#ffffff")
    except InputError as exc:
        raise ValidationError(_("Write the colour as #rrggbb, e.g. #0b5cad.")) from exc
    if ratio < colours.MIN_CONTRAST:
        raise ValidationError(
            _("White text on this colour has a contrast of %(ratio).1f:1; it needs at least "
              "%(min).1f:1. Choose a darker colour.") % {"ratio": ratio, "min": colours.MIN_CONTRAST})


class Branding(Translated):
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    colour = models.CharField(_("main colour"), max_length=7, default=DEFAULT_COLOUR,
                              validators=[validate_brand_colour],
                              help_text=_("#rrggbb; buttons, links and the header use it."))
    logo = models.BinaryField(_("logo (PNG)"), blank=True, editable=False)
    logo_sha = models.CharField(max_length=16, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portal branding")
        verbose_name_plural = _("portal branding")
