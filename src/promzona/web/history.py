"""The audit trail as people read it: what happened in words of the page's language, who did
it, and each changed field with its label and its values as shown elsewhere (status labels,
local dates and times), never a dict or a code.

Used by every page that shows a history (applications, plots, works, projects, instructions)
through the ``readable`` filter of ``applications/_history.html``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promzona import l10n
from promzona.audit.models import AuditEntry
from promzona.zones.models import NEED_LABELS

#: What each action did, in words (full phrases: each language agrees them its own way).
ACTIONS = {
    "application.created": gettext_lazy("Application created"),
    "application.updated": gettext_lazy("Application edited"),
    "application.commented": gettext_lazy("Comment added"),
    "application.submitted": gettext_lazy("Application submitted"),
    "application.under_review": gettext_lazy("Review started"),
    "application.approved": gettext_lazy("Application approved"),
    "application.rejected": gettext_lazy("Application rejected"),
    "application.withdrawn": gettext_lazy("Application withdrawn by the investor"),
    "attachment.added": gettext_lazy("Attachment added"),
    "reservation.created": gettext_lazy("Plot reserved for the application"),
    "reservation.allocated": gettext_lazy("Reservation became an allocation"),
    "reservation.released": gettext_lazy("Reservation released"),
    "reservation.expired": gettext_lazy("Reservation expired"),
    "plot.created": gettext_lazy("Plot created"),
    "plot.updated": gettext_lazy("Plot edited"),
    "plot.deleted": gettext_lazy("Plot deleted"),
    "plot.reserved": gettext_lazy("Plot reserved"),
    "project.created": gettext_lazy("Project opened"),
    "project.reported": gettext_lazy("Annual report submitted"),
    "project.report_confirmed": gettext_lazy("Annual report confirmed"),
    "project.report_rejected": gettext_lazy("Annual report returned"),
    "project.status_updated": gettext_lazy("Project health updated"),
    "project.terminated": gettext_lazy("Project terminated"),
    "project.obligation_overdue": gettext_lazy("An obligation became overdue"),
    "project.milestone_done": gettext_lazy("Milestone done"),
    "project.milestone_rescheduled": gettext_lazy("Milestone rescheduled"),
    "instruction.report_added": gettext_lazy("Report added"),
    "instruction.digest_sent": gettext_lazy("Digest sent"),
    "instruction.calendar_created": gettext_lazy("Calendar link created"),
    "instruction.calendar_revoked": gettext_lazy("Calendar link revoked"),
    "work.created": gettext_lazy("Work created"),
    "work.started": gettext_lazy("Work started"),
    "work.replanned": gettext_lazy("Work re-planned"),
    "work.progress_reported": gettext_lazy("Progress reported"),
    "work.inspected": gettext_lazy("Inspection recorded"),
    "work.finding_fixed": gettext_lazy("Finding fixed"),
    "work.accepted": gettext_lazy("Work accepted"),
    "work.cancelled": gettext_lazy("Work cancelled"),
}
#: Any other object's creation, edit and deletion (``zones.services.feature_save``).
VERBS = {"created": gettext_lazy("Created"), "updated": gettext_lazy("Edited"),
         "deleted": gettext_lazy("Deleted")}
#: Keys of before/after that are not fields of the object.
KEYS = {
    "reservation": gettext_lazy("reservation"), "application": gettext_lazy("application"),
    "expires_at": gettext_lazy("reserved until"), "comment": gettext_lazy("comment"),
    "attachment": gettext_lazy("attachment"), "type": gettext_lazy("type"),
    "size": gettext_lazy("size (bytes)"), "preferred_plots": gettext_lazy("preferred plots"),
    "note": gettext_lazy("note"), "extension": gettext_lazy("extension"),
    "report": gettext_lazy("report"), "counts": gettext_lazy("rows"),
    **NEED_LABELS,
    "attachments": gettext_lazy("attachments"), "links": gettext_lazy("concerns"),
    "progress": gettext_lazy("progress report"), "inspection": gettext_lazy("inspection"),
    "photos": gettext_lazy("photos"), "plan": gettext_lazy("plan by year"),
    "obligations": gettext_lazy("obligations"), "days": gettext_lazy("days"),
    "snapshots": gettext_lazy("snapshots"), "amount": gettext_lazy("amount"),
    "holder": gettext_lazy("holder"), "event": gettext_lazy("event"),
    "object": gettext_lazy("object"),
}
#: The record an action writes beside its object (a progress report, an inspection…): the keys
#: of its before/after are that record's fields (their labels and choices), some renamed.
RECORDS = {
    "project.status_updated": ("projects.StatusUpdate", {}),
    "project.reported": ("projects.Report", {}),
    "project.milestone_done": ("projects.Milestone", {"milestone": "kind"}),
    "work.progress_reported": ("works.WorkProgress", {}),
    "work.inspected": ("works.Inspection", {}),
    "work.replanned": ("works.WorkPlan", {}),
    "instruction.extension_requested": ("instructions.Extension", {}),
}
#: Derived or bulky fields whose values say nothing to a reader.
QUIET = {"min_lon", "min_lat", "max_lon", "max_lat", "geometry", "password", "id",
         "created_at", "updated_at"}
#: Keys whose values are ids of other objects.
REFERENCES = {"reservation", "application", "attachment", "extension", "report", "plot",
              "preferred_plots", "attachments", "progress", "inspection"}
MAX_TEXT = 200
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ][\d:.]+([+-]\d{2}:\d{2}|Z)?)?")


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the key was not in ``before`` (a value set, not changed)
    after: str | None
    typed: bool = False  # the values are text as people typed it (pages mark its language)


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # aware; templates show it in the site's time zone
    actor: str
    action: str
    changes: list[Change]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def action_label(action: str, model: type[models.Model] | None = None) -> str:
    """The action in words; the status moves of a model through its status labels."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    head, _sep, last = action.rpartition(".")
    if head == "instruction":
        from promzona.instructions.models import Event

        if last in Event.Kind.values:
            return capfirst(str(Event.Kind(last).label))
    if head.endswith(".status") or model is not None and last in _choices(model, "status"):
        return _("Status changed")
    if last in VERBS:
        return str(VERBS[last])
    return _("Change recorded")


def _choices(model: type[models.Model], name: str) -> dict[str, Any]:
    try:
        return dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        return {}


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    from promzona.projects.models import MilestoneKind  # a project's obligations are by milestone

    field = _field(model, key)
    if field is not None:
        return capfirst(str(field.verbose_name))
    if key in MilestoneKind.values:
        return str(MilestoneKind(key).label)
    return capfirst(str(KEYS.get(key, key.replace("_", " "))))


def _when(text: str) -> str | None:
    """An ISO date or date-time as the site shows it (date-times in local time)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if "T" not in text and len(text) == 10:
        return formats.date_format(moment.date(), "Y-m-d")
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "Y-m-d H:i")


def value_text(value: Any, field: models.Field | None = None, *, reference: bool = False) -> str:
    """A stored value as words: choices by their label, dates local, references as #id,
    lists and objects spelt out, long text cut."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v, reference=reference) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(None, str(k))}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, str):
        if isinstance(field, models.DecimalField):
            try:
                return formats.number_format(Decimal(value))
            except InvalidOperation:
                pass
        elif isinstance(field, models.DateField) or field is None and _ISO.fullmatch(value):
            when = _when(value)
            if when:
                return when
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if isinstance(value, int) and (reference or isinstance(field, models.ForeignKey)):
        return f"#{value}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value) if isinstance(value, (int, float)) else str(value)


def plan_text(rows: Any) -> str:
    """A project's plan by year as audited (``[[year, investment, jobs], …]``) in words, the
    amounts written as the page's language writes money."""
    if not isinstance(rows, list):
        return value_text(rows)
    out = []
    for row in rows:
        try:
            year, investment, jobs = row
            out.append(_("%(year)s: %(investment)s KZT, %(jobs)s jobs") % {
                "year": int(year), "investment": l10n.money(Decimal(str(investment))),
                "jobs": l10n.num(int(jobs))})
        except (TypeError, ValueError, InvalidOperation):
            out.append(value_text(row))
    return "; ".join(out) or "—"


#: Keys whose values have a writing of their own.
WRITERS = {"plan": plan_text}


def _typed(field: models.Field | None, *values: Any) -> bool:
    """Whether the values are shown as typed: text, not a choice, a date or a number."""
    if field is not None and (field.choices or not isinstance(field, (models.CharField,
                                                                       models.TextField))):
        return False
    return any(isinstance(v, str) and v and not _ISO.fullmatch(v) for v in values)


def readable(entry: AuditEntry) -> HistoryRow:
    model = _model(entry.object_type)
    record, renamed = RECORDS.get(entry.action, (None, {}))
    record = _model(record) if record else None
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        if key in QUIET:
            if key == "geometry":
                changes.append(Change(_label(model, key), None, _("changed")))
            continue
        owner, name = model, key
        if _field(model, key) is None and _field(record, renamed.get(key, key)) is not None:
            owner, name = record, renamed.get(key, key)
        field, ref = _field(owner, name), key in REFERENCES
        write = WRITERS.get(key) or (lambda v, f=field, r=ref: value_text(v, f, reference=r))
        changes.append(Change(
            _label(owner, name),
            write(before[key]) if key in before else None,
            write(after[key]) if key in after else None,
            typed=key not in WRITERS and not ref and _typed(field, before.get(key),
                                                               after.get(key))))
    actor = _("system") if entry.actor_id is None and entry.actor_label == "system" \
        else entry.actor_label
    return HistoryRow(at=entry.at, actor=actor, action=action_label(entry.action, model),
                      changes=changes)
