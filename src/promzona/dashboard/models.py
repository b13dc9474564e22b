"""Stored figures for the trend charts: what ``promzona snapshot`` computed for a month's end.

Figures of any day are computed from the dated records (``dashboard.records``); a snapshot is
only a copy kept so that a year of month ends need not be recomputed for every page view.
The job recomputes them nightly, so a record entered late (a progress report dated last month)
reaches the trend within a day.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.CASCADE,
                             null=True, blank=True, related_name="+",
                             help_text=_("Empty: all zones together."))
    day = models.DateField(_("day"))
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder,
                               help_text=_("As GET /api/kpi answers."))
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")
        ordering = ["zone", "day"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "day"], condition=Q(zone__isnull=False),
                                    name="snapshot_once_per_zone_and_day"),
            models.UniqueConstraint(fields=["day"], condition=Q(zone__isnull=True),
                                    name="snapshot_once_per_day_for_all_zones"),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id or 'all'} {self.day}"
