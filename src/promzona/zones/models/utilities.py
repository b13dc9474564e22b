"""Utility sources with their capacity ledger, lines and infrastructure projects."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.core import geometry as geo
from promzona.core.utilities import UTILITY_KINDS
from promzona.zones.validators import validate_code

from ..fields import ThousandthsField
from .base import NON_NEGATIVE, GeoFeature, Translated
from .version import VersionedQuerySet
from .zones import Zone


class UtilityKindChoices(models.TextChoices):
    POWER = "power", _("Power (kW)")
    WATER = "water", _("Water (m³/day)")
    SEWAGE = "sewage", _("Sewage (m³/day)")
    HEAT = "heat", _("Heat (Gcal/h)")
    GAS = "gas", _("Gas (m³/h)")


#: A request's or application's need of each utility, as forms and pages label it.
NEED_LABELS = {
    "power_kw": _("Power, kW"), "water_m3_day": _("Water, m³/day"),
    "sewage_m3_day": _("Sewage, m³/day"), "heat_gcal_h": _("Heat, Gcal/h"), "gas_m3_h": _("Gas, m³/h"),
}


class UtilitySource(Translated, GeoFeature):
    """A capacity node (substation, water intake, CHP, gas station, treatment plant).

    ``committed`` is the sum of active :class:`CapacityCommitment` rows, maintained by
    :func:`promzona.zones.services.capacity_commit` with one conditional UPDATE; the database
    refuses ``committed > capacity`` with a check constraint. Amounts are exact thousandths
    (:class:`~promzona.zones.fields.ThousandthsField`) on every database.
    """

    geometry_kind = geo.POINT
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="sources")
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

    objects = VersionedQuerySet.as_manager()

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
        ACTIVE = "active", pgettext_lazy("capacity commitment status", "Active")
        RELEASED = "released", pgettext_lazy("capacity commitment status", "Released")

    source = models.ForeignKey(UtilitySource,
                               verbose_name=_("source"), on_delete=models.PROTECT, related_name="commitments")
    amount = ThousandthsField(_("amount"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    holder = models.CharField(_("held for"), max_length=255)
    created_at = models.DateTimeField(_("created at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    objects = VersionedQuerySet.as_manager()

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
        EXISTING = "existing", pgettext_lazy("utility line status", "Existing")
        UNDER_CONSTRUCTION = "under_construction", pgettext_lazy("utility line status", "Under construction")
        PLANNED = "planned", pgettext_lazy("utility line status", "Planned")

    geometry_kind = geo.LINEAR
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="lines")
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

    objects = VersionedQuerySet.as_manager()

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
        PLANNED = "planned", pgettext_lazy("infrastructure project status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("infrastructure project status", "In progress")
        COMPLETED = "completed", pgettext_lazy("infrastructure project status", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("infrastructure project status", "Cancelled")

    zone = models.ForeignKey(Zone,
                             verbose_name=_("zone"), on_delete=models.PROTECT,
                             related_name="infrastructure_projects")
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

    objects = VersionedQuerySet.as_manager()

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
