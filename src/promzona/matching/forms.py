"""The portal's match form: fields map one-to-one onto the request of ``POST /api/match``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from promzona.core.errors import InputError
from promzona.core.matching import CRITERIA, DEFAULT_WEIGHTS, MatchRequest
from promzona.web.feedback import message_of
from promzona.zones.models import Sector


def _num(label, **kw):
    return forms.FloatField(label=label, required=False, min_value=0, max_value=1e9, **kw)


WEIGHT_LABELS = {
    "cost": _("Weight: cost of location"), "time": _("Weight: time to start"),
    "logistics": _("Weight: logistics"), "sector": _("Weight: priority sector of the zone"),
    "anchor": _("Weight: cooperation with anchor enterprises"), "area": _("Weight: area fit"),
}


class MatchForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector (OKED)"))
    area_min = _num(_("Area from, ha"))
    area_max = _num(_("Area to, ha"))
    power_kw = _num(_("Power, kW"))
    water_m3_day = _num(_("Water, m³/day"))
    sewage_m3_day = _num(_("Sewage, m³/day"))
    heat_gcal_h = _num(_("Heat, Gcal/h"))
    gas_m3_h = _num(_("Gas, m³/h"))
    rail_spur = forms.BooleanField(label=_("Rail spur needed"), required=False)
    hazard_class = forms.TypedChoiceField(
        label=_("Hazard class of the production"), coerce=int, initial=5,
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text=_("1 is the most hazardous, 5 the least."))
    max_rail_m = _num(_("Rail at most, m"))
    max_road_m = _num(_("Road at most, m"))
    max_airport_m = _num(_("Airport at most, m"))
    budget_kzt = forms.FloatField(label=_("Budget over the horizon, KZT"), required=False,
                                  min_value=0, max_value=1e16)
    horizon_years = forms.IntegerField(label=_("Horizon, years"), min_value=1, max_value=50,
                                       initial=10)
    start_by = forms.DateField(label=_("Desired start"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in CRITERIA:  # blank: the documented default, shown as the placeholder
            self.fields[f"w_{c}"] = forms.FloatField(
                label=WEIGHT_LABELS[c], required=False, min_value=0, max_value=1000,
                widget=forms.NumberInput(attrs={"step": "any",
                                                "placeholder": f"{DEFAULT_WEIGHTS[c]:g}"}))
        self.fields["sector"].choices = [
            (s.code, f"{s.code} {s.translated('name')}") for s in Sector.objects.all()]

    def request_json(self) -> dict[str, Any]:
        d = self.cleaned_data
        body: dict[str, Any] = {
            "sector": d["sector"], "rail_spur": d["rail_spur"], "hazard_class": d["hazard_class"],
            "horizon_years": d["horizon_years"] or 10,
            "needs": {k: d[k] for k in ("power_kw", "water_m3_day", "sewage_m3_day", "heat_gcal_h",
                                        "gas_m3_h") if d.get(k)},
        }
        area = {k: d[f] for k, f in (("min", "area_min"), ("max", "area_max")) if d.get(f) is not None}
        if area:
            body["area_ha"] = area
        md = {k: d[f] for k, f in (("rail", "max_rail_m"), ("road", "max_road_m"),
                                   ("airport", "max_airport_m")) if d.get(f) is not None}
        if md:
            body["max_distance_m"] = md
        if d.get("budget_kzt") is not None:
            body["budget_kzt"] = d["budget_kzt"]
        if d.get("start_by"):
            body["start_by"] = d["start_by"].isoformat()
        weights = {c: d[f"w_{c}"] for c in CRITERIA if d.get(f"w_{c}") is not None}
        if weights:
            body["weights"] = weights
        return body

    def request_fields(self):
        return [f for f in self if not f.name.startswith("w_")]

    def weight_fields(self):
        return [f for f in self if f.name.startswith("w_")]

    def weights_given(self) -> bool:
        """Whether the weights section should be open: a weight was entered or refused."""
        return any(f.value() not in (None, "") or f.errors for f in self.weight_fields())

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.match_request = MatchRequest.parse(self.request_json())
            except InputError as exc:
                raise forms.ValidationError(message_of(exc)) from exc
        return data

    @classmethod
    def initial_from(cls, request_json: dict[str, Any]) -> dict[str, Any]:
        """Form data from a saved request (the inverse of :meth:`request_json`)."""
        out: dict[str, Any] = {"sector": request_json.get("sector"),
                               "hazard_class": request_json.get("hazard_class", 5),
                               "horizon_years": request_json.get("horizon_years", 10)}
        if request_json.get("rail_spur"):
            out["rail_spur"] = "on"
        for k, v in (request_json.get("needs") or {}).items():
            out[k] = v
        area = request_json.get("area_ha") or {}
        out.update({f: area[k] for k, f in (("min", "area_min"), ("max", "area_max")) if k in area})
        md = request_json.get("max_distance_m") or {}
        out.update({f: md[k] for k, f in (("rail", "max_rail_m"), ("road", "max_road_m"),
                                          ("airport", "max_airport_m")) if k in md})
        for k in ("budget_kzt", "start_by"):
            if request_json.get(k) is not None:
                out[k] = request_json[k]
        weights = request_json.get("weights") or {}
        out.update({f"w_{c}": weights[c] for c in CRITERIA
                    if c in weights and weights[c] != DEFAULT_WEIGHTS[c]})
        return out


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=200)
