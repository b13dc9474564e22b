"""Forms of the project pages. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from promzona.works.forms import DATE, MONEY, TEXT, checked_as_of

from .models import Project, StatusUpdate

PLAN_ROWS = 8


class ProjectForm(forms.Form):
    """The agreement date and up to :data:`PLAN_ROWS` planned years (empty rows are skipped)."""

    agreement_on = forms.DateField(label=_("Agreement signed on"), **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(PLAN_ROWS):
            self.fields[f"year_{i}"] = forms.IntegerField(
                label=_("Year"), required=False, min_value=2000, max_value=2100)
            self.fields[f"investment_{i}"] = forms.DecimalField(
                label=_("Investment planned (KZT)"), required=False, **MONEY)
            self.fields[f"jobs_{i}"] = forms.IntegerField(
                label=_("Jobs at the end of the year"), required=False, min_value=0,
                max_value=10**6)

    def rows(self):
        """The plan's rows as (year field, investment field, jobs field), for the template."""
        return [(self[f"year_{i}"], self[f"investment_{i}"], self[f"jobs_{i}"])
                for i in range(PLAN_ROWS)]

    def clean(self):
        data = super().clean()
        plan = []
        for i in range(PLAN_ROWS):
            row = (data.get(f"year_{i}"), data.get(f"investment_{i}"), data.get(f"jobs_{i}"))
            if all(v is None for v in row):
                continue
            if any(v is None for v in row):
                raise forms.ValidationError(_("Each planned year needs the year, the "
                                              "investment and the jobs."))
            plan.append(row)
        if not plan:
            raise forms.ValidationError(_("Plan at least one year."))
        data["plan"] = plan
        return data

    @classmethod
    def initial_from(cls, agreement_on, plan) -> dict:
        initial = {"agreement_on": agreement_on}
        for i, (year, investment, jobs) in enumerate(plan[:PLAN_ROWS]):
            initial |= {f"year_{i}": year, f"investment_{i}": investment, f"jobs_{i}": jobs}
        return initial


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    investment_kzt = forms.DecimalField(label=_("Investment made in the year (KZT)"), **MONEY)
    jobs = forms.IntegerField(label=_("Jobs now"), min_value=0, max_value=10**6)
    comment = forms.CharField(label=_("Comment"), **TEXT)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), **TEXT)


class StatusForm(forms.Form):
    on = forms.DateField(label=_("As of"), **DATE)
    health = forms.ChoiceField(label=_("Status"), choices=StatusUpdate.Health.choices)
    comment = forms.CharField(label=_("Comment"), **TEXT)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), **DATE)


class RescheduleForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), **DATE)
    reason = forms.CharField(label=_("Reason"), **(TEXT | {"required": True}))


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("Reason for termination"), **(TEXT | {"required": True}))
    confirm = forms.BooleanField(label=_("I confirm: end the project and offer the plot again"))


class ProjectFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Project.Status.choices))
    behind = forms.BooleanField(label=_("Behind plan or with an overdue obligation"),
                                required=False)
    as_of = forms.DateField(label=_("As of"), required=False, **DATE)

    def clean_as_of(self):
        return checked_as_of(self.cleaned_data["as_of"])
