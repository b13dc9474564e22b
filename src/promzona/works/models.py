"""Infrastructure works: what the zone builds, under which contract, how far it has got.

A work may build a utility line or a source upgrade (``zones.InfrastructureProject``); its
acceptance makes the line existing or the capacity available through the zones services. Every
fact is dated (plan versions, progress reports, inspections, start and acceptance), so figures
can be computed as of any past date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
MONEY = {"max_digits": 18, "decimal_places": 2}


class Work(models.Model):
    class Kind(models.TextChoices):
        LINE = "line", _("Utility line")
        UPGRADE = "upgrade", _("Source upgrade")
        FACILITY = "facility", _("Building or facility")
        OTHER = "other", _("Other capital project")

    class Funding(models.TextChoices):
        REPUBLICAN = "republican", _("Republican budget")
        LOCAL = "local", _("Local budget")
        SPECIAL_FUND = "special_fund", _("Special State Fund")
        PRIVATE = "private", _("Private")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("work status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("work status", "In progress")
        ACCEPTED = "accepted", pgettext_lazy("work status", "Accepted")
        CANCELLED = "cancelled", pgettext_lazy("work status", "Cancelled")

    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.PROTECT,
                             related_name="works")
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    line = models.ForeignKey(
        "zones.UtilityLine", verbose_name=_("line built"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="works",
    )
    upgrade = models.ForeignKey(
        "zones.InfrastructureProject", verbose_name=_("source upgrade"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="works",
    )
    contractor = models.CharField(_("contractor"), max_length=255)
    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    contract_value_kzt = models.DecimalField(
        _("contract value (KZT)"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE,
        help_text=_("Empty when there is no contract money (no earned value then)."),
    )
    funding_source = models.CharField(_("funding source"), max_length=16, choices=Funding.choices)
    # The current plan; every version, the baseline first, is a WorkPlan row.
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PLANNED, db_index=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    closing_remarks = models.TextField(_("acceptance or cancellation remarks"), blank=True,
                                       max_length=5000)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("infrastructure work")
        verbose_name_plural = _("infrastructure works")
        ordering = ["planned_finish", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_finish__gte=F("planned_start")),
                                   name="work_finish_after_start"),
            models.CheckConstraint(condition=Q(contract_value_kzt__gte=0)
                                   | Q(contract_value_kzt__isnull=True),
                                   name="work_contract_value_non_negative"),
            models.CheckConstraint(
                condition=(Q(kind="line", line__isnull=False, upgrade__isnull=True)
                           | Q(kind="upgrade", upgrade__isnull=False, line__isnull=True)
                           | (Q(kind__in=["facility", "other"], line__isnull=True,
                                upgrade__isnull=True))),
                name="work_kind_matches_target"),
            # One open work per line and per upgrade: two contracts never build the same thing.
            models.UniqueConstraint(fields=["line"], condition=Q(status__in=["planned", "in_progress"]),
                                    name="one_open_work_per_line"),
            models.UniqueConstraint(fields=["upgrade"],
                                    condition=Q(status__in=["planned", "in_progress"]),
                                    name="one_open_work_per_upgrade"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class WorkPlan(models.Model):
    """One version of a work's schedule and budget; version 1 is the baseline. Never edited."""

    work = models.ForeignKey(Work, verbose_name=_("work"), on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(_("version"))
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    contract_value_kzt = models.DecimalField(_("contract value (KZT)"), **MONEY, null=True,
                                             blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("work plan version")
        verbose_name_plural = _("work plan versions")
        ordering = ["work", "version"]
        constraints = [
            models.UniqueConstraint(fields=["work", "version"], name="work_plan_version_once"),
            models.CheckConstraint(condition=Q(planned_finish__gte=F("planned_start")),
                                   name="work_plan_finish_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} v{self.version}"


class WorkProgress(models.Model):
    """A progress report: percent done and money spent to date, on a date."""

    work = models.ForeignKey(Work, verbose_name=_("work"), on_delete=models.PROTECT, related_name="progress")
    reported_on = models.DateField(_("as of"))
    percent = models.DecimalField(
        _("percent done"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    spent_kzt = models.DecimalField(_("spent to date (KZT)"), **MONEY, null=True, blank=True,
                                    validators=NON_NEGATIVE)
    remarks = models.TextField(_("remarks"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["work", "reported_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100),
                                   name="progress_percent_range"),
            models.CheckConstraint(condition=Q(spent_kzt__gte=0) | Q(spent_kzt__isnull=True),
                                   name="progress_spent_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id}: {self.percent}% on {self.reported_on}"


class WorkPhoto(models.Model):
    """A site photo of a progress report (PNG or JPEG, checked by content), served by a view."""

    progress = models.ForeignKey(WorkProgress,
                                 verbose_name=_("progress"), on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(_("file"), upload_to="works/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")
        ordering = ["progress", "id"]

    def __str__(self) -> str:
        return self.original_name


class Inspection(models.Model):
    """A quality inspection; its findings, if any, must be fixed by a deadline."""

    work = models.ForeignKey(Work,
                             verbose_name=_("work"), on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.CharField(_("inspector"), max_length=255)
    findings = models.TextField(_("findings"), blank=True, max_length=5000,
                                help_text=_("Empty when nothing needs fixing."))
    fix_by = models.DateField(_("fix by"), null=True, blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    fix_note = models.TextField(_("how it was fixed"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["work", "inspected_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(findings="") | Q(fix_by__isnull=False),
                                   name="inspection_findings_have_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id}: {self.inspected_on}"

    @property
    def is_open(self) -> bool:
        return bool(self.findings) and self.fixed_on is None
