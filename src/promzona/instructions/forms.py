"""Forms of the instruction pages. They parse; the services decide."""

from __future__ import annotations

from functools import partial

from django import forms
from django.db.models import Q
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from promzona.accounts.models import User
from promzona.applications.files import MAX_ATTACHMENT_BYTES
from promzona.zones.forms import NamedChoiceField, TranslatedChoiceField, WrittenSelectMultiple

from . import links
from .models import Body, Instruction
from .selectors import Filters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BodiesChoice(forms.ModelMultipleChoiceField):
    widget = WrittenSelectMultiple

    def label_from_instance(self, obj):
        return obj.name  # in the page's language


def _people(q: Q):
    return User.objects.filter(q, is_active=True).order_by("username")


class InstructionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=50)
    issued_on = forms.DateField(label=_("Date"), widget=DATE)
    issuer = TranslatedChoiceField(label=_("Issuer"), queryset=Body.objects.all())
    issuer_person = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    parent = NamedChoiceField(label=_("Basis (parent instruction)"), required=False,
                              queryset=Instruction.objects.order_by("issued_on", "id"))
    title = forms.CharField(label=_("Title"), max_length=255)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea, required=False,
                           max_length=20000)
    executor = TranslatedChoiceField(label=_("Executor"), queryset=Body.objects.all())
    executor_person = forms.ModelChoiceField(
        label=_("Responsible person"), required=False,
        queryset=_people(Q(role__in=["staff", "manager", "executor"])))
    co_executors = BodiesChoice(label=_("Co-executors"), required=False,
                                                  queryset=Body.objects.all())
    controller = forms.ModelChoiceField(label=_("Controller"),
                                        queryset=_people(Q(role__in=["staff", "manager"])))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    on_control = forms.BooleanField(label=_("On control"), required=False, initial=True)
    links = forms.CharField(label=_("Concerns"), required=False, max_length=2000)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        codes = partial(format_html_join, ", ", "<code>{}</code>")  # what is typed, as typed
        self.fields["links"].help_text = format_html(
            "{} {}",
            mark_safe(conditional_escape(  # noqa: S308 - escaped text around our markup
                _("Objects as type:code or type:id, separated by commas, e.g. %(example)s."))
                % {"example": codes((e,) for e in ("plot:A-03", "line:PO-2", "source:PS-2",
                                                   "zone:north"))}),
            mark_safe(conditional_escape(_("Types: %(types)s.")) % {  # noqa: S308 - likewise
                "types": codes((t,) for t in links.available_types())}))
        if editing:  # the deadline and the control flag change through their own actions
            del self.fields["deadline"]
            del self.fields["on_control"]

    def clean_links(self):
        out = []
        for token in [t.strip() for t in self.cleaned_data["links"].split(",") if t.strip()]:
            kind, _sep, value = token.partition(":")
            model = links.link_model(kind.strip())
            if model is None or not value.strip():
                raise forms.ValidationError(_("Not a link: %(t)s") % {"t": token[:60]})
            value = value.strip()
            field = next((f for f in ("code", "slug") if hasattr(model, f)), None)
            found = list(model.objects.filter(**{field: value})[:2]) if field else []
            if len(found) != 1 and value.isdigit() and len(value) < 19:
                found = list(model.objects.filter(pk=int(value)))
            if len(found) != 1:
                raise forms.ValidationError(_("No single %(type)s %(value)s.") % {
                    "type": kind, "value": value[:40]})
            out.append({"type": kind.strip(), "id": found[0].pk})
        return out

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_from(instr: Instruction) -> dict:
        kinds = {links.LINKABLE[k].lower(): k for k in links.LINKABLE}
        refs = []
        for link in instr.links.select_related("content_type"):
            ct = link.content_type
            refs.append(f"{kinds.get(f'{ct.app_label}.{ct.model}', ct.model)}:{link.object_id}")
        return {
            "number": instr.number, "issued_on": instr.issued_on, "issuer": instr.issuer_id,
            "issuer_person": instr.issuer_person, "parent": instr.parent_id, "title": instr.title,
            "text": instr.text, "executor": instr.executor_id,
            "executor_person": instr.executor_person_id,
            "co_executors": list(instr.co_executors.values_list("pk", flat=True)),
            "controller": instr.controller_id, "links": ", ".join(refs),
        }


class FilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    due_within = forms.IntegerField(label=_("Due within (days)"), required=False, min_value=0,
                                    max_value=366)
    executor = TranslatedChoiceField(label=_("Executor"), required=False, queryset=Body.objects.all())
    issuer = TranslatedChoiceField(label=_("Issuer"), required=False, queryset=Body.objects.all())
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Instruction.Status.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> Filters:
        d = self.cleaned_data
        return Filters(overdue=d["overdue"], due_within=d["due_within"],
                       executor=d["executor"].pk if d["executor"] else None,
                       issuer=d["issuer"].pk if d["issuer"] else None,
                       status=d["status"], q=d["q"])


class ActionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=5000)
    confirm = forms.BooleanField(label=_("I confirm"), required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's recipe); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(items) > 5:
            raise forms.ValidationError(_("Attach at most %(n)s files.") % {"n": 5})
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        if any(f.size > MAX_ATTACHMENT_BYTES for f in files):
            raise forms.ValidationError(_("An attachment may be at most 20 MB."))
        return files


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report of execution"), widget=forms.Textarea, max_length=20000)
    files = MultipleFileField(
        label=_("Documents (PDF, DOCX, XLSX, PNG, JPEG; at most 5 files of 20 MB)"), required=False)


class ExtendForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=5000)
