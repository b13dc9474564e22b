"""The portal's match form: fields map one-to-one onto the request of ``POST /api/match``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from promzona.core.errors import InputError
from promzona.core.matching import CRITERIA, DEFAULT_WEIGHTS, MatchRequest
from promzona.core.matching.request import bounds, field_info
from promzona.web.feedback import message_of
from promzona.zones.models import NEED_LABELS, Sector

#: The form's names of the fields inside the request's objects ("area_ha.min" is "area_min");
#: the request's other fields keep their names.
GROUPS = {"area_ha": "area_{}", "max_distance_m": "max_{}_m", "needs": "{}", "weights": "w_{}"}
#: (form field, path in the request) for each field of the form: the model's fields.
PATHS = [(GROUPS[name].format(key), (name, key)) for name in GROUPS
         for key in field_info((name,))[1].annotation.model_fields] + [
    (name, (name,)) for name in MatchRequest.model_fields if name not in GROUPS
    and name != "assumptions"]


def _num(label, *path, **kw):
    """A number field with the request's bounds for the value at ``path``."""
    low, high = bounds(path)
    return forms.FloatField(label=label, required=False, min_value=low, max_value=high, **kw)


WEIGHT_LABELS = {
    "cost": _("Weight: cost of location"), "time": _("Weight: time to start"),
    "logistics": _("Weight: logistics"), "sector": _("Weight: priority sector of the zone"),
    "anchor": _("Weight: cooperation with anchor enterprises"), "area": _("Weight: area fit"),
}


class MatchForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector (OKED)"))
    area_min = _num(_("Area from, ha"), "area_ha", "min")
    area_max = _num(_("Area to, ha"), "area_ha", "max")
    power_kw = _num(NEED_LABELS["power_kw"], "needs", "power_kw")
    water_m3_day = _num(NEED_LABELS["water_m3_day"], "needs", "water_m3_day")
    sewage_m3_day = _num(NEED_LABELS["sewage_m3_day"], "needs", "sewage_m3_day")
    heat_gcal_h = _num(NEED_LABELS["heat_gcal_h"], "needs", "heat_gcal_h")
    gas_m3_h = _num(NEED_LABELS["gas_m3_h"], "needs", "gas_m3_h")
    rail_spur = forms.BooleanField(label=_("Rail spur needed"), required=False)
    hazard_class = forms.TypedChoiceField(
        label=_("Hazard class of the production"), coerce=int, initial=5,
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text=_("1 is the most hazardous, 5 the least."))
    max_rail_m = _num(_("Rail at most, m"), "max_distance_m", "rail")
    max_road_m = _num(_("Road at most, m"), "max_distance_m", "road")
    max_airport_m = _num(_("Airport at most, m"), "max_distance_m", "airport")
    budget_kzt = _num(_("Budget over the horizon, KZT"), "budget_kzt")
    horizon_years = forms.IntegerField(label=_("Horizon, years"),
                                       min_value=bounds(("horizon_years",))[0],
                                       max_value=bounds(("horizon_years",))[1], initial=10)
    start_by = forms.DateField(label=_("Desired start"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in CRITERIA:  # blank: the documented default, shown as the placeholder
            self.fields[f"w_{c}"] = _num(
                WEIGHT_LABELS[c], "weights", c,
                widget=forms.NumberInput(attrs={"step": "any",
                                                "placeholder": f"{DEFAULT_WEIGHTS[c]:g}"}))
        self.fields["sector"].choices = [
            (s.code, f"{s.code} {s.translated('name')}") for s in Sector.objects.all()]

    def request_json(self) -> dict[str, Any]:
        """The request the form was filled in with, as JSON (blank fields left out)."""
        body: dict[str, Any] = {}
        for name, path in PATHS:
            value = self.cleaned_data.get(name)
            if value is None or value == "" or (path[0] == "needs" and not value):
                continue
            *parents, key = path
            node = body
            for p in parents:
                node = node.setdefault(p, {})
            node[key] = value.isoformat() if isinstance(value, dt.date) else value
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
        """Form data from a request as JSON (the inverse of :meth:`request_json`); weights
        at their default are left blank."""
        out: dict[str, Any] = {n: MatchRequest.model_fields[n].default
                               for n in ("hazard_class", "horizon_years")}
        for name, path in PATHS:
            value: Any = request_json
            for p in path:
                value = value.get(p) if isinstance(value, dict) else None
            if value is None or value is False or (
                    path[0] == "weights" and value == DEFAULT_WEIGHTS[path[1]]):
                continue
            out[name] = "on" if value is True else value
        return out


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=200)
