"""The enquiry form (anyone may send it) and the inbox's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from promzona.core.organisations import countries
from promzona.matching.forms import MatchForm
from promzona.zones.selectors import plots_visible_to, zones_visible_to

from .models import MESSAGE_LENGTH, Enquiry
from .selectors import enquiry_contacts


def _recipient_choices(user: Any) -> list[tuple[str, str]]:
    """``c<id>`` for a named contact, ``z<slug>`` for a zone's office; zone by zone."""
    contacts = list(enquiry_contacts())
    out = []
    for zone in zones_visible_to(user).order_by("slug"):
        for c in (c for c in contacts if c.zone_id == zone.pk):
            role = f", {c.role}" if c.role else ""
            out.append((f"c{c.pk}", f"{c.name}{role} ({zone.name})"))
        out.append((f"z{zone.slug}", _("The zone office (%(zone)s)") % {"zone": zone.name}))
    return out


class EnquiryForm(forms.Form):
    to = forms.ChoiceField(label=_("To"))
    name = forms.CharField(label=_("Your name"), max_length=120)
    organisation = forms.CharField(label=_("Company"), max_length=200, required=False)
    country = forms.ChoiceField(
        label=_("Country"), required=False,
        choices=lambda: [("", "—"), *countries(get_language() or "ru")])
    email = forms.EmailField(label=_("Email"), max_length=254,
                             help_text=_("The zone office answers to this address."))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    message = forms.CharField(label=_("Your question"), max_length=MESSAGE_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 6}))
    plot = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1,
                              max_value=2**31 - 1)
    search = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    # The honeypot: hidden from people by the stylesheet, filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, user: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["to"].choices = _recipient_choices(user)

    def clean_plot(self):
        pk = self.cleaned_data.get("plot")
        if pk is None:
            return None
        plot = plots_visible_to(self.user).filter(pk=pk).first()
        if plot is None:
            raise forms.ValidationError(_("No such plot."))
        return plot

    def clean_search(self):
        """The match form's query string: kept as the request it describes, or dropped."""
        text = self.cleaned_data.get("search") or ""
        if not text:
            return None
        search = MatchForm(QueryDict(text))
        return search.request_json() if search.is_valid() else None

    def enquiry(self, *, address: str | None) -> Enquiry:
        """The unsaved enquiry the form describes (the service checks and stores it)."""
        d = self.cleaned_data
        to = d["to"]  # one of the choices: c<contact id> or z<zone slug>
        contact = enquiry_contacts().get(pk=int(to[1:])) if to[0] == "c" else None
        zone = contact.zone if contact else zones_visible_to(self.user).get(slug=to[1:])
        return Enquiry(zone=zone, contact=contact, plot=d["plot"], name=d["name"],
                       organisation=d["organisation"], country=d["country"], email=d["email"],
                       phone=d["phone"], message=d["message"], match_request=d["search"],
                       language=(get_language() or "ru")[:8], address=address)


class MarkForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class InboxFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Enquiry.Status.choices])
