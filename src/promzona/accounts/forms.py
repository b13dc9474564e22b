"""Forms of the account pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from promzona.core.organisations import HOME_COUNTRY, countries
from promzona.outbox.services import mail_enqueue

from . import throttle
from .models import User, organisation_identifier


def too_many(minutes: int) -> str:
    """The refusal of a rate-limited request (registration, resent link, reset mail...)."""
    return ngettext("Too many requests. Try again in %(minutes)s minute.",
                    "Too many requests. Try again in %(minutes)s minutes.",
                    minutes) % {"minutes": minutes}


class ThrottleMixin:
    """Refuses to even check a password while this login is throttled (see :mod:`.throttle`)."""

    throttle_message = ""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        minutes = throttle.login_attempt_start(username=username, address=address)
        if minutes:
            self.throttle_message = ngettext(
                "Too many failed logins for this account or from this address. "
                "Try again in %(minutes)s minute, or reset your password.",
                "Too many failed logins for this account or from this address. "
                "Try again in %(minutes)s minutes, or reset your password.", minutes,
            ) % {"minutes": minutes}
            raise ValidationError(self.throttle_message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.login_failed()
            raise
        throttle.login_succeeded(username=username, address=address)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """Django's login form, throttled."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's login form (staff only), under the same throttle."""


class _PasswordPair(forms.Form):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128,
                                help_text=_("At least 10 characters, not a common password."))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput,
                                max_length=128)

    def _user_for_validation(self) -> User:
        return User(username=self.cleaned_data.get("username", ""),
                    email=self.cleaned_data.get("email", ""))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1, self._user_for_validation())
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class _NewUser(_PasswordPair):
    username = forms.CharField(label=_("User name"), max_length=150)
    field_order = ["username", "email", "password1", "password2"]

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        User.username_validator(name)
        if User.objects.filter(username__iexact=name).exists():
            raise ValidationError(_("This user name is taken."))
        return name


class OrganisationFields(forms.Form):
    """Which organisation: a Kazakh one by its BIN, a foreign one by its registration number."""

    organisation_name = forms.CharField(label=_("Organisation"), max_length=255)
    country = forms.ChoiceField(label=_("Country of registration"), initial=HOME_COUNTRY,
                                choices=lambda: countries(get_language() or "ru"))
    number = forms.CharField(
        label=_("BIN or registration number"), max_length=40,
        help_text=_("The 12-digit BIN for a company registered in Kazakhstan; otherwise its "
                    "number in its country's company register."))

    def clean(self):
        cleaned = super().clean()
        if "country" in cleaned and "number" in cleaned:
            try:
                cleaned["country"], cleaned["number"] = organisation_identifier(
                    cleaned["country"], cleaned["number"])
            except ValidationError as exc:
                self.add_error("number", exc)
        return cleaned


class RegistrationForm(OrganisationFields, _NewUser):
    """No check here says whether the user name or the organisation is known already: the
    service answers the same either way (see ``services.investor_register``)."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    field_order = ["organisation_name", "country", "number", "username", "email", "password1",
                   "password2"]

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        User.username_validator(name)
        return name


class JoinRequestForm(OrganisationFields):
    """A logged-in investor without an organisation asks to join one."""


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)


class JoinForm(_NewUser):
    """A colleague accepting an invitation: the email is the invited one."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def _user_for_validation(self) -> User:
        return User(username=self.cleaned_data.get("username", ""), email=self.email)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"), max_length=254)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset form, its email sent through the outbox (retried when the mail
    server fails)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        base = urlsplit(settings.PROMZONA_BASE_URL)  # the link's site, never the request's Host
        context = {**context, "protocol": base.scheme, "domain": base.netloc}
        mail_enqueue(to=[to_email], subject=loader.render_to_string(subject_template_name, context),
                     body=loader.render_to_string(email_template_name, context))


class NoteForm(forms.Form):
    """The zone office's note on a decision: the proof checked, or the reason."""

    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
