"""Users with a role, and the investor organisations they belong to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.core.errors import InputError
from promzona.core.kz_bin import bin_validate
from promzona.core.organisations import (
    HOME_COUNTRY,
    country_is_valid,
    registration_number_normalise,
)


def validate_bin(value: str) -> None:
    try:
        bin_validate(value)
    except InputError as exc:
        if len(value) != 12 or not value.isdigit():
            message = _("A BIN has exactly 12 digits.")
        else:
            message = _("The BIN's check digit (the 12th) is wrong.")
        raise ValidationError(message, code="invalid_bin") from exc


def validate_country(value: str) -> None:
    if not country_is_valid(value):
        raise ValidationError(_("Choose a country from the list."), code="invalid_country")


def validate_registration_number(value: str) -> None:
    """A stored registration number is already normalised (see ``organisation_identifier``)."""
    if value and registration_number_normalise(value) != value:
        raise ValidationError(
            _("A registration number has 2 to 30 Latin letters and digits, at least one digit."),
            code="invalid_registration_number")


def organisation_identifier(country: str, number: str) -> tuple[str, str]:
    """``(country, number)`` checked and normalised: for Kazakhstan a BIN (check digit verified),
    elsewhere the company's registration number in capitals without separators. Raises
    :class:`ValidationError` (translated) when either is wrong."""
    country = (country or "").strip().upper()
    validate_country(country)
    if country == HOME_COUNTRY:
        number = (number or "").replace(" ", "")
        validate_bin(number)
        return country, number
    normalised = registration_number_normalise(number) or ""
    validate_registration_number(normalised or "?")
    return country, normalised


class Organisation(models.Model):
    """An investor company: Kazakh by its BIN, foreign by its country and registration number.

    It acts (applies, comments, invites) only once the zone office has confirmed it
    (``confirmed_at``); the note says what proof was checked.
    """

    name = models.CharField(_("name"), max_length=255)
    country = models.CharField(_("country"), max_length=2, default=HOME_COUNTRY,
                               validators=[validate_country])
    bin = models.CharField(_("BIN"), max_length=12, unique=True, null=True, blank=True,
                           validators=[validate_bin])
    registration_number = models.CharField(
        _("registration number"), max_length=30, blank=True,
        validators=[validate_registration_number],
        help_text=_("A foreign company's number in its country's register (no BIN)."))
    address = models.CharField(_("address"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "User", verbose_name=_("confirmed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+")
    confirmation_note = models.TextField(_("proof checked"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # A Kazakh company by its BIN, a foreign one by its own registration number.
            models.CheckConstraint(
                condition=(Q(country=HOME_COUNTRY, bin__isnull=False, registration_number="")
                           | (~Q(country=HOME_COUNTRY) & Q(bin__isnull=True)
                              & ~Q(registration_number=""))),
                name="organisation_identified"),
            models.UniqueConstraint(
                fields=["country", "registration_number"], condition=~Q(registration_number=""),
                name="organisation_registration_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    @property
    def identifier(self) -> str:
        """``BIN 180140005227`` or ``DE HRB12345``."""
        if self.country == HOME_COUNTRY:
            return f"{_('BIN')} {self.bin}"
        return f"{self.country} {self.registration_number}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def clean_fields(self, exclude=None) -> None:
        # "HRB 12345" as typed in the admin is stored as HRB12345, the form compared with.
        if self.registration_number:
            self.registration_number = (registration_number_normalise(self.registration_number)
                                        or self.registration_number)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if self.country == HOME_COUNTRY and not self.bin:
            raise ValidationError({"bin": _("A company registered in Kazakhstan has a BIN.")})
        if self.country != HOME_COUNTRY and (self.bin or not self.registration_number):
            raise ValidationError({"registration_number": _(
                "A foreign company has its registration number and no BIN.")})


class Role(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    STAFF = "staff", _("Zone office staff")
    MANAGER = "manager", _("Manager")
    EXECUTOR = "executor", _("Executor (outside body)")
    EDITOR = "editor", _("Editor (newsroom)")


class User(AbstractUser):
    """A person who logs in. Anonymous visitors are the public role."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.INVESTOR)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_zone_staff(self) -> bool:
        return self.role == Role.STAFF or self.is_superuser

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def oversees_zones(self) -> bool:
        """Zone office staff, managers and superusers see every plot and application."""
        return self.is_superuser or self.role in (Role.STAFF, Role.MANAGER)

    @property
    def writes_news(self) -> bool:
        """Editors and zone office staff write, publish and moderate the zone's news."""
        return self.is_superuser or self.role in (Role.EDITOR, Role.STAFF)

    @property
    def acts_for_organisation(self) -> bool:
        """An active investor of a confirmed organisation: may apply, comment, upload, invite.

        A registrant waiting for the zone office has no organisation yet (see
        :class:`JoinRequest`); a member of an unconfirmed one may only read.
        """
        return bool(self.is_active and self.role == Role.INVESTOR and self.organisation_id
                    and self.organisation.is_confirmed)


class JoinRequest(models.Model):
    """A person's request to act for an organisation, new or already known, by its identifier;
    the zone office approves (the organisation is confirmed, the person joins it) or rejects it.

    Registration always ends here, whether or not the identifier is known, so the answer never
    tells a stranger which organisations exist.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("join request status", "Pending")
        APPROVED = "approved", pgettext_lazy("join request status", "Approved")
        REJECTED = "rejected", pgettext_lazy("join request status", "Rejected")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="join_requests")
    organisation_name = models.CharField(_("organisation name given"), max_length=255)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    number = models.CharField(_("BIN or registration number"), max_length=30)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="join_requests")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True,
                                help_text=_("The decision is mailed in this language."))

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"),
                                    name="one_pending_join_request_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.country} {self.number}"


class Attempt(models.Model):
    """One counted attempt (a login, a registration, a resent link...), kept for a day to
    throttle guessing and flooding; ``login.known`` rows remember where an account logged in.

    In the database (not a per-process cache) so every app server sees the same counts.
    """

    scope = models.CharField(_("kind"), max_length=32)
    account = models.CharField(_("account"), max_length=254)
    address = models.GenericIPAddressField(_("address"), null=True)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["scope", "account", "at"], name="attempt_account"),
            models.Index(fields=["scope", "address", "at"], name="attempt_address"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.account} {self.address} {self.at:%Y-%m-%d %H:%M}"
