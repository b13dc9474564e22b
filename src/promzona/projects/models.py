"""Investor projects: what happens on an allocated plot after the application is approved.

A project is created from an approved application and its allocation (the plot, with the
utility capacity committed on the ledger). It carries the investment and jobs planned per year,
milestones with due and done dates — the investor's obligations among them, with deadlines that
are parameters of the zone (:class:`ObligationRule`) —, status updates, and the actual figures
the investor reports and staff confirm. Every fact is dated for "as of" questions.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 18, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class MilestoneKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement signed")
    DESIGN = "design", _("Design")
    PERMITS = "permits", _("Permits")
    CONSTRUCTION_START = "construction_start", _("Construction start")
    COMMISSIONING = "commissioning", _("Commissioning")
    OPERATION = "operation", _("Operation")


#: The order of the phases.
MILESTONE_ORDER = list(MilestoneKind.values)


class ObligationRule(models.Model):
    """A zone's parameter: the investor must reach ``milestone`` within ``months`` of the
    agreement. Applies to projects created after it is set (an agreement keeps its terms)."""

    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.CASCADE,
                             related_name="obligation_rules")
    milestone = models.CharField(
        _("milestone"), max_length=24,
        choices=[c for c in MilestoneKind.choices if c[0] != MilestoneKind.AGREEMENT])
    months = models.PositiveSmallIntegerField(
        _("within months of the agreement"),
        validators=[MinValueValidator(1), MaxValueValidator(240)])

    class Meta:
        verbose_name = _("investor obligation (zone parameter)")
        verbose_name_plural = _("investor obligations (zone parameters)")
        ordering = ["zone", "months"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "milestone"], name="obligation_once_per_zone"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=240),
                                   name="obligation_months_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_milestone_display()}: {self.months}"


class Project(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("project status", "Active")
        TERMINATED = "terminated", pgettext_lazy("project status", "Terminated")

    application = models.OneToOneField(
        "applications.Application", verbose_name=_("application"), on_delete=models.PROTECT,
        related_name="project")
    allocation = models.OneToOneField(
        "applications.Reservation", verbose_name=_("allocation"), on_delete=models.PROTECT,
        related_name="project")
    agreement_on = models.DateField(_("agreement signed on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True,
                                          max_length=5000)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("investor project")
        verbose_name_plural = _("investor projects")
        ordering = ["-agreement_on", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.application.project_name}"

    @property
    def name(self) -> str:
        return self.application.project_name

    @property
    def plot(self):
        return self.allocation.plot


class PlanYear(models.Model):
    """What the investor plans for one year: investment in that year, jobs at its end."""

    project = models.ForeignKey(Project,
                                verbose_name=_("project"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    investment_kzt = models.DecimalField(_("investment planned (KZT)"), **MONEY,
                                         validators=NON_NEGATIVE)
    jobs = models.PositiveIntegerField(_("jobs planned at the end of the year"))

    class Meta:
        verbose_name = _("planned year")
        verbose_name_plural = _("planned years")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="plan_year_once"),
            models.CheckConstraint(condition=Q(investment_kzt__gte=0),
                                   name="plan_year_investment_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.year}"


class Milestone(models.Model):
    project = models.ForeignKey(Project,
                                verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=24, choices=MilestoneKind.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    obligation = models.BooleanField(
        _("investor obligation"), default=False,
        help_text=_("The due date is a deadline set by the zone's parameters."))
    warned_at = models.DateTimeField(_("staff warned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="milestone_once_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_kind_display()}"


class StatusUpdate(models.Model):
    class Health(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")

    project = models.ForeignKey(Project,
                                verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("as of"))
    health = models.CharField(_("status"), max_length=16, choices=Health.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL,
                               verbose_name=_("author"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["project", "on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.health} on {self.on}"


class Report(models.Model):
    """The investor's actual figures for a year; they count once staff confirm them."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
        CONFIRMED = "confirmed", pgettext_lazy("report status", "Confirmed")
        REJECTED = "rejected", pgettext_lazy("report status", "Rejected")

    project = models.ForeignKey(Project,
                                verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    investment_kzt = models.DecimalField(_("investment made in the year (KZT)"), **MONEY,
                                         validators=NON_NEGATIVE)
    jobs = models.PositiveIntegerField(_("jobs now"))
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                    verbose_name=_("reported by"), on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                    verbose_name=_("reviewed by"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("investor report")
        verbose_name_plural = _("investor reports")
        ordering = ["project", "-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(investment_kzt__gte=0),
                                   name="report_investment_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.year} ({self.status})"
