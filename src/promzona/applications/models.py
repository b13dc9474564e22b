"""Investor applications, their preferred plots, comments, attachments, and reservations.

The database itself keeps a plot from being held twice: a conditional unique constraint allows
at most one *active or allocated* reservation per plot. A reservation's capacity commitments
are rows of the zones ledger (``zones.CapacityCommitment``), linked through
:class:`ReservationCommitment`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.core.matching.request import MAX_HORIZON
from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS
from promzona.zones.models import NEED_LABELS

from .files import download_name


def validate_needs(value) -> None:
    """``needs`` maps each of the five need keys to a non-negative number; nothing else."""
    if not isinstance(value, dict):
        raise ValidationError(_("Needs must be an object."), code="invalid_needs")
    unknown = sorted(set(value) - set(NEED_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown needs: %(keys)s.") % {"keys": ", ".join(map(str, unknown))[:200]},
            code="invalid_needs",
        )
    for key in NEED_KEYS:
        amount = value.get(key, 0)
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise ValidationError(
                _("%(key)s must be a number.") % {"key": key}, code="invalid_needs"
            )
        if not (0 <= amount < 10**12):
            raise ValidationError(
                _("%(key)s must be between 0 and 10¹².") % {"key": key}, code="invalid_needs"
            )


class Application(models.Model):
    """An investor's request for a plot and utilities."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("application status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
        UNDER_REVIEW = "under_review", pgettext_lazy("application status", "Under review")
        APPROVED = "approved", pgettext_lazy("application status", "Approved")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
        related_name="+",
    )
    project_name = models.CharField(_("project name"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    sector = models.ForeignKey(
        "zones.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    investment_kzt = models.DecimalField(
        _("investment (KZT)"), max_digits=18, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    jobs_planned = models.PositiveIntegerField(_("jobs planned"))
    needs = models.JSONField(_("needs"), default=dict, validators=[validate_needs])
    #: When the project wants to start and over how many years its costs are weighed: with the
    #: needs, what decides which source serves the plot (as in a match).
    start_by = models.DateField(_("desired start"), null=True, blank=True)
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon, years"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON)])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment_kzt__gte=0), name="application_investment_non_negative"
            ),
            models.CheckConstraint(condition=Q(horizon_years__gte=1, horizon_years__lte=MAX_HORIZON),
                                   name="application_horizon_range"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.project_name}"

    def need(self, key: str) -> Decimal:
        return Decimal(str(self.needs.get(key, 0) or 0))

    def needs_labelled(self) -> list[tuple[str, Decimal]]:
        """The needs that are not zero, labelled ("Power, kW", 500), in the kinds' order."""
        return [(str(NEED_LABELS[k.need_key]), self.need(k.need_key))
                for k in UTILITY_KINDS.values() if self.need(k.need_key)]


class PreferredPlot(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="preferred")
    plot = models.ForeignKey("zones.Plot", verbose_name=_("plot"), on_delete=models.PROTECT,
                             related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("preferred plot")
        verbose_name_plural = _("preferred plots")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "plot"], name="preferred_plot_once"),
            models.UniqueConstraint(
                fields=["application", "position"], name="preferred_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. plot {self.plot_id}"


class Comment(models.Model):
    """A note on an application, visible to the investor; transitions write one each."""

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    transition = models.CharField(_("transition"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(models.Model):
    """An uploaded document, stored outside any public URL and served by a checking view."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL,
        null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        return download_name(self.original_name, self.content_type, f"attachment-{self.pk}")


class Reservation(models.Model):
    """A plot held for an application until ``expires_at``; on approval, an allocation."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("reservation status", "Active")
        RELEASED = "released", pgettext_lazy("reservation status", "Released")
        EXPIRED = "expired", pgettext_lazy("reservation status", "Expired")
        ALLOCATED = "allocated", pgettext_lazy("reservation status", "Allocated")

    plot = models.ForeignKey(
        "zones.Plot", verbose_name=_("plot"), on_delete=models.PROTECT, related_name="reservations"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT,
        related_name="reservations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
        null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A plot is held by at most one reservation at a time.
            models.UniqueConstraint(
                fields=["plot"],
                condition=Q(status__in=["active", "allocated"]),
                name="one_active_reservation_per_plot",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["active", "allocated"]),
                name="one_active_reservation_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"reservation #{self.pk}"


class ReservationCommitment(models.Model):
    """Links a reservation to the capacity ledger rows it holds."""

    reservation = models.ForeignKey(
        Reservation, verbose_name=_("reservation"), on_delete=models.PROTECT, related_name="commitment_links"
    )
    commitment = models.OneToOneField(
        "zones.CapacityCommitment", verbose_name=_("commitment"), on_delete=models.PROTECT,
        related_name="reservation_link"
    )

    class Meta:
        verbose_name = _("reservation commitment")
        verbose_name_plural = _("reservation commitments")

    def __str__(self) -> str:
        return f"{self.reservation_id} → {self.commitment_id}"
