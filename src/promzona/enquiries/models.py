"""The zone's named contacts, and the enquiries anyone may send them (no account needed)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from promzona.core.organisations import countries
from promzona.zones.models import Translated

MESSAGE_LENGTH = 3000


class Contact(Translated):
    """A named person of the zone office, shown on the zone page and the plot passports; an
    enquiry is addressed to one of them."""

    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.CASCADE,
                             related_name="contacts")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    role_ru = models.CharField(_("role (Russian)"), max_length=255, blank=True)
    role_kk = models.CharField(_("role (Kazakh)"), max_length=255, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    receives_enquiries = models.BooleanField(
        _("receives enquiries"), default=True,
        help_text=_("Offered on the enquiry form; enquiries to this person are emailed to them."))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Inactive contacts are no longer shown."))

    class Meta:
        verbose_name = _("zone contact")
        verbose_name_plural = _("zone contacts")
        ordering = ["zone", "position", "id"]

    @property
    def role(self) -> str:
        return self.translated("role")


class Enquiry(models.Model):
    """A question to the zone office: from the enquiry form, a plot passport or a search that
    found nothing. Stored only after the anti-spam checks; answered outside promzona (email,
    phone) and marked here."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("enquiry status", "New")
        ANSWERED = "answered", pgettext_lazy("enquiry status", "Answered")
        SPAM = "spam", pgettext_lazy("enquiry status", "Spam")

    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.PROTECT,
                             related_name="enquiries")
    contact = models.ForeignKey(Contact, verbose_name=_("to"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="enquiries")
    plot = models.ForeignKey("zones.Plot", verbose_name=_("plot"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), max_length=MESSAGE_LENGTH)
    language = models.CharField(_("language"), max_length=8)
    match_request = models.JSONField(_("search"), null=True, blank=True,
                                     help_text=_("The search the enquiry was sent from."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.NEW, db_index=True)
    created_at = models.DateTimeField(_("received at"), db_index=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["address", "created_at"]),
                   models.Index(fields=["email", "created_at"])]

    @property
    def country_name(self) -> str:
        """The country in the page's language (the code when Babel does not know it)."""
        return dict(countries(get_language() or "ru")).get(self.country, self.country)

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"
