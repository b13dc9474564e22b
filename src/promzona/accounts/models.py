"""Users with a role, and the investor organisations they belong to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from promzona.core.errors import InputError
from promzona.core.kz_bin import bin_validate


def validate_bin(value: str) -> None:
    try:
        bin_validate(value)
    except InputError as exc:
        if len(value) != 12 or not value.isdigit():
            message = _("A BIN has exactly 12 digits.")
        else:
            message = _("The BIN's check digit (the 12th) is wrong.")
        raise ValidationError(message, code="invalid_bin") from exc


class Organisation(models.Model):
    """An investor: a company identified by its BIN, with one or more users."""

    name = models.CharField(_("name"), max_length=255)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    country = models.CharField(_("country"), max_length=2, default="KZ")
    address = models.CharField(_("address"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.bin})"


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

    def clean(self) -> None:
        super().clean()
        if self.role == Role.INVESTOR and self.organisation_id is None and not self.is_superuser:
            raise ValidationError({"organisation": _("An investor must belong to an organisation.")})


class LoginFailure(models.Model):
    """One failed login, kept briefly to throttle guessing per account and per address.

    In the database (not a per-process cache) so every app server sees the same count.
    """

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, db_index=True)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M}"
