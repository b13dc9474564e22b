"""Forms of the works pages. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from promzona.core.errors import InputError
from promzona.web.feedback import message_of
from promzona.zones.forms import NamedChoiceField, TranslatedChoiceField, ZoneChoiceField
from promzona.zones.models import InfrastructureProject, UtilityLine, Zone

from .inputs import day
from .models import Work

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "required": False, "max_length": 5000}
MONEY = {"min_value": 0, "max_digits": 17, "decimal_places": 2}


class WorkForm(forms.Form):
    zone = ZoneChoiceField(label=_("Zone"), queryset=Zone.objects.all())
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=Work.Kind.choices)
    line = NamedChoiceField(
        label=_("Line built"), required=False,
        queryset=UtilityLine.objects.exclude(status=UtilityLine.Status.EXISTING))
    upgrade = TranslatedChoiceField(
        label=_("Source upgrade"), required=False,
        queryset=InfrastructureProject.objects.filter(status__in=["planned", "in_progress"]))
    contractor = forms.CharField(label=_("Contractor"), max_length=255)
    contract_number = forms.CharField(label=_("Contract number"), max_length=64, required=False)
    contract_value_kzt = forms.DecimalField(label=_("Contract value (KZT)"), required=False,
                                            **MONEY)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=Work.Funding.choices)
    planned_start = forms.DateField(label=_("Planned start"), **DATE)
    planned_finish = forms.DateField(label=_("Planned finish"), **DATE)


class ReplanForm(forms.Form):
    planned_start = forms.DateField(label=_("Planned start"), **DATE)
    planned_finish = forms.DateField(label=_("Planned finish"), **DATE)
    contract_value_kzt = forms.DecimalField(label=_("Contract value (KZT)"), required=False,
                                            **MONEY)
    reason = forms.CharField(label=_("Reason"), **(TEXT | {"required": True}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service checks them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleImageField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("As of"), **DATE)
    percent = forms.DecimalField(label=_("Percent done"), min_value=0, max_value=100,
                                 max_digits=5, decimal_places=2)
    spent_kzt = forms.DecimalField(label=_("Spent to date (KZT)"), required=False, **MONEY)
    remarks = forms.CharField(label=_("Remarks"), **TEXT)
    photos = MultipleImageField(label=_("Site photos (PNG or JPEG, at most 10 MB each)"),
                                required=False)


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), **DATE)
    inspector = forms.CharField(label=_("Inspector"), max_length=255)
    findings = forms.CharField(label=_("Findings"), **TEXT,
                               help_text=_("Empty when nothing needs fixing."))
    fix_by = forms.DateField(label=_("Fix by"), required=False, **DATE)


class FixForm(forms.Form):
    fixed_on = forms.DateField(label=_("Fixed on"), **DATE)
    note = forms.CharField(label=_("How it was fixed"), **TEXT)


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("Accepted on"), **DATE)
    remarks = forms.CharField(label=_("Remarks"), **TEXT)
    confirm = forms.BooleanField(label=_("I confirm the acceptance"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), **(TEXT | {"required": True}))
    confirm = forms.BooleanField(label=_("I confirm the cancellation"))


class WorkFilter(forms.Form):
    zone = ZoneChoiceField(label=_("Zone"), required=False, queryset=Zone.objects.all())
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Work.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All"))] + list(Work.Kind.choices))
    late = forms.BooleanField(label=_("Late only"), required=False)
    as_of = forms.DateField(label=_("As of"), required=False, **DATE)

    def clean_as_of(self):
        return checked_as_of(self.cleaned_data["as_of"])


def checked_as_of(value):
    """An "as of" date from 2000 to 2100 (or none)."""
    if value is None:
        return None
    try:
        return day(value, "as_of")
    except InputError as exc:
        raise forms.ValidationError(message_of(exc)) from exc
