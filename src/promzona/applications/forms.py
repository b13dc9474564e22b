"""Forms of the application pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from promzona.core.matching.request import MAX_HORIZON
from promzona.core.utilities import UTILITY_KINDS
from promzona.zones.forms import SectorChoiceField
from promzona.zones.models import NEED_LABELS, Sector

from .files import MAX_ATTACHMENT_BYTES
from .models import Application


class ApplicationForm(forms.Form):
    project_name = forms.CharField(label=_("Project name"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False,
                                  max_length=20000)
    sector = SectorChoiceField(label=_("Sector (OKED)"), queryset=Sector.objects.all())
    investment_kzt = forms.DecimalField(label=_("Investment (KZT)"), min_value=0,
                                        max_digits=18, decimal_places=2)
    jobs_planned = forms.IntegerField(label=_("Jobs planned"), min_value=0, max_value=10**7)
    start_by = forms.DateField(label=_("Desired start"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    horizon_years = forms.IntegerField(
        label=_("Horizon, years"), min_value=1, max_value=MAX_HORIZON, initial=10,
        required=False, help_text=_("The years over which connection and utility costs are "
                                    "weighed when choosing the source that serves the plot."))
    preferred_codes = forms.CharField(
        label=_("Preferred plots"), required=False, max_length=500,
        help_text=_("Plot codes in order of preference, separated by commas."),
    )

    def __init__(self, *args, plots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plots = plots  # the plots the user may see
        for kind in UTILITY_KINDS.values():
            self.fields[kind.need_key] = forms.DecimalField(
                label=NEED_LABELS[kind.need_key],
                min_value=0, max_value=10**11, max_digits=16, decimal_places=3, initial=0,
                required=False,
            )

    def clean_preferred_codes(self):
        codes = [c.strip() for c in self.cleaned_data["preferred_codes"].split(",") if c.strip()]
        by_code = {p.code: p.pk for p in self.plots.filter(code__in=codes)}
        unknown = [c for c in codes if c not in by_code]
        if unknown:
            raise forms.ValidationError(_("Unknown plots: %(codes)s") % {
                "codes": ", ".join(unknown)[:200]})
        return [by_code[c] for c in codes]

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "project_name": d["project_name"], "description": d["description"],
            "sector": d["sector"], "investment_kzt": d["investment_kzt"],
            "jobs_planned": d["jobs_planned"], "preferred_plots": d["preferred_codes"],
            "start_by": d["start_by"],
            "needs": {k.need_key: float(d.get(k.need_key) or 0) for k in UTILITY_KINDS.values()},
        } | ({"horizon_years": d["horizon_years"]} if d["horizon_years"] is not None else {})

    @classmethod
    def initial_from(cls, app: Application) -> dict:
        initial = {
            "project_name": app.project_name, "description": app.description,
            "sector": app.sector_id, "investment_kzt": app.investment_kzt,
            "jobs_planned": app.jobs_planned, "start_by": app.start_by,
            "horizon_years": app.horizon_years,
            "preferred_codes": ", ".join(p.plot.code for p in app.preferred.select_related("plot")),
        }
        initial.update(app.needs)
        return initial


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=5000)


class ReserveForm(forms.Form):
    plot_code = forms.CharField(label=_("Plot code"), max_length=32)
    expires_on = forms.DateField(label=_("Reserved until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: 90 days from today."))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Attachment (PDF, DOCX, XLSX, PNG, JPEG; at most 20 MB)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("An attachment may be at most 20 MB."))
        return f


class QueueFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Application.Status.choices))
    sector = SectorChoiceField(label=_("Sector"), required=False, queryset=Sector.objects.all())
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
