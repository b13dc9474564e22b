"""Forms of the optimisation pages: plan parameters, a scenario's choices, the allocation's
weights, values, pins and forbidden pairs."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from promzona.works.models import Work
from promzona.zones.models import UtilityKindChoices

from .selectors import DEFAULT_PERIODS, DEFAULT_RATE, DEFAULT_WEIGHTS

MAX_PERIODS = 40  # ten years of quarters on a page
MAX_MONEY = 1e9  # million KZT
MAX_PAIRS = 200
PAIR = re.compile(r"^(A\d{1,18}):(\S{1,32})$")


class PlanForm(forms.Form):
    """The plan's parameters, read from the query string (the page is a GET form)."""

    periods = forms.IntegerField(label=_("Periods (quarters)"), min_value=1,
                                 max_value=MAX_PERIODS, initial=DEFAULT_PERIODS, required=False)
    budget = forms.CharField(
        label=_("Budget per period, million KZT"), required=False, max_length=800,
        help_text=_("One number for every period, or one per period separated by commas. Empty: "
                    "the cost of the works the plots need, spread evenly."))
    discount_rate = forms.FloatField(label=_("Discount rate per period"), min_value=0,
                                     max_value=1, initial=DEFAULT_RATE, required=False)
    no_carry_over = forms.BooleanField(label=_("Unspent budget does not carry over"),
                                       required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Utility kinds every plot needs"), choices=UtilityKindChoices.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: what the plot's permitted sectors need."))
    marginal_step = forms.FloatField(
        label=_("Budget step for the marginal values, million KZT"), min_value=0.001,
        max_value=MAX_MONEY, required=False, initial=1.0)

    def clean_budget(self):
        text = (self.cleaned_data.get("budget") or "").strip()
        if not text:
            return None
        try:
            values = [float(v) for v in text.replace(";", ",").split(",")]
        except ValueError:
            raise forms.ValidationError(_("Write numbers separated by commas.")) from None
        if any(not 0 <= v <= MAX_MONEY for v in values):
            raise forms.ValidationError(_("Each budget is a number from 0 to 10⁹."))
        return values

    def clean(self):
        d = super().clean()
        periods = d.get("periods") or DEFAULT_PERIODS
        budget = d.get("budget")
        if budget is not None:
            if len(budget) == 1:
                d["budget"] = budget * periods
            elif len(budget) != periods:
                self.add_error("budget", _("Give one budget, or one per period (%(n)s).")
                               % {"n": periods})
        return d

    @staticmethod
    def defaults() -> dict:
        return {"periods": DEFAULT_PERIODS, "budget": None, "discount_rate": DEFAULT_RATE,
                "carry_over": True, "kinds": None}

    def choices(self) -> dict:
        """The keyword arguments of :func:`~promzona.optimise.selectors.plan_instance`."""
        d = self.cleaned_data
        return {"periods": d.get("periods") or DEFAULT_PERIODS, "budget": d.get("budget"),
                "discount_rate": DEFAULT_RATE if d.get("discount_rate") is None
                else d["discount_rate"],
                "carry_over": not d.get("no_carry_over"), "kinds": d.get("kinds") or None}


class ScenarioForm(PlanForm):
    """A scenario: a name, the plan's parameters, and each plot's value and required works."""

    name = forms.CharField(label=_("Scenario name"), max_length=100)
    field_order = ["name"]

    def __init__(self, *args, ctx=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["marginal_step"]
        self.ctx = ctx
        for code in ctx.default_values:
            self.fields[f"value_{code}"] = forms.FloatField(
                label=_("Value of %(code)s") % {"code": code}, min_value=0, max_value=MAX_MONEY,
                required=False, initial=ctx.default_values[code])
            self.fields[f"requires_{code}"] = forms.CharField(
                label=_("Works %(code)s needs") % {"code": code}, required=False,
                max_length=1000, initial=", ".join(ctx.default_requires[code]))

    def plot_rows(self):
        return [(code, self[f"value_{code}"], self[f"requires_{code}"],
                 code in dict(self.ctx.left_out)) for code in self.ctx.default_values]

    def clean(self):
        d = super().clean()
        works = set(self.ctx.works)
        values, requires = {}, {}
        for code in self.ctx.default_values:
            value = d.get(f"value_{code}")
            if value is not None and value != self.ctx.default_values[code]:
                values[code] = value
            if f"requires_{code}" not in self.data:  # not sent: the default
                continue
            text = d.get(f"requires_{code}") or ""
            listed = list(dict.fromkeys(w.strip() for w in text.split(",") if w.strip()))
            unknown = [w for w in listed if w not in works]
            if unknown:
                self.add_error(f"requires_{code}", _("Unknown work: %(work)s")
                               % {"work": unknown[0][:40]})
            elif listed != self.ctx.default_requires[code]:
                requires[code] = listed
        d["values"], d["requires"] = values, requires
        return d


class PlanWorksForm(forms.Form):
    """The planned works a plan becomes: the works ticked (``work``, read by the view), their
    funding source and contractor, and an explicit confirmation."""

    funding_source = forms.ChoiceField(label=_("Funding source"), choices=Work.Funding.choices)
    contractor = forms.CharField(label=_("Contractor"), max_length=255,
                                 initial=_("To be selected"))
    confirm = forms.BooleanField(
        label=_("I confirm: create these planned works"), required=True,
        error_messages={"required": _("Tick the confirmation to create the works.")})


def _pairs(values: list[str], field: str) -> list[tuple[str, str]]:
    if len(values) > MAX_PAIRS:
        raise forms.ValidationError(_("At most %(n)s pairs.") % {"n": MAX_PAIRS}, code=field)
    out = []
    for v in values:
        m = PAIR.match(v)
        if not m:
            raise forms.ValidationError(_("“%(pair)s” is not an application and a plot.")
                                        % {"pair": v[:40]}, code=field)
        out.append((m[1], m[2]))
    return list(dict.fromkeys(out))


class AllocationForm(forms.Form):
    """The proposal's state, in the query string: weights, changed values, pins, forbids."""

    investment = forms.FloatField(label=_("Weight of investment"), min_value=0, max_value=1,
                                  required=False, initial=DEFAULT_WEIGHTS["investment"])
    jobs = forms.FloatField(label=_("Weight of jobs"), min_value=0, max_value=1,
                            required=False, initial=DEFAULT_WEIGHTS["jobs"])
    priority = forms.FloatField(label=_("Weight of a priority sector"), min_value=0,
                                max_value=1, required=False, initial=DEFAULT_WEIGHTS["priority"])

    def __init__(self, data=None, *args, **kwargs):
        data = data or {k: str(v) for k, v in DEFAULT_WEIGHTS.items()}  # empty: the defaults
        super().__init__(data, *args, **kwargs)
        self.raw = data

    def clean(self):
        d = super().clean()
        raw = self.raw
        getlist = raw.getlist if hasattr(raw, "getlist") else (lambda k: [])
        try:
            d["pinned"] = _pairs(getlist("pin"), "pin")
            d["forbidden"] = _pairs(getlist("forbid"), "forbid")
            d["pairs"] = _pairs(getlist("pair"), "pair")
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None
        values = {}
        for key in list(raw.keys() if raw is not None else [])[:2000]:
            if key.startswith("value_A") and raw.get(key, "").strip():
                try:
                    value = float(raw[key])
                except ValueError:
                    value = -1.0
                if not 0 <= value <= MAX_MONEY or not re.fullmatch(r"A\d{1,18}", key[6:]):
                    raise forms.ValidationError(_("A value is a number from 0 to 10⁹."))
                values[key[6:]] = value
        d["values"] = values
        return d

    def weights(self) -> dict[str, float]:
        d = self.cleaned_data
        return {k: DEFAULT_WEIGHTS[k] if d.get(k) is None else d[k] for k in DEFAULT_WEIGHTS}
