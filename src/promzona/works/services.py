"""Writes for works. Each runs in one transaction, checks the actor's role, validates everything
before writing, and records an audit entry ``work.<verb>``.

A work that builds a line or a source upgrade keeps that object in step through the zones
services the admin uses (:func:`promzona.zones.services.feature_save`): its plan dates become
the line's or upgrade's planned completion, its start puts the line under construction, and its
acceptance makes the line existing or adds the upgrade's capacity to the source — so the
passport, matching, alerts and the capacity ledger see the change at once.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.types import Actor
from promzona.applications import files
from promzona.audit.services import audit_record, changed, snapshot
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.news.events import article_draft_from_event
from promzona.validation import validated
from promzona.zones.models import InfrastructureProject, UtilityLine, UtilitySource, Zone
from promzona.zones.services import feature_save

from .inputs import day, decimal, money, person, text
from .models import Inspection, Work, WorkPhoto, WorkPlan, WorkProgress
from .selectors import oversees

S = Work.Status
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_KINDS = ("png", "jpeg")


# --- checks --------------------------------------------------------------------------------


def _require_manager(actor: Actor) -> None:
    if not oversees(actor):
        raise Forbidden(_("Only zone office staff and managers may do this."))


def _locked(work: Work) -> Work:
    work.refresh_from_db(from_queryset=Work.objects.select_for_update())
    return work


def _require_open(work: Work) -> None:
    if not work.is_open:
        raise Conflict(_("The work is %(status)s: it changes no more.")
                       % {"status": work.get_status_display()}, details={"status": work.status})


def _plan(start: Any, finish: Any) -> tuple[dt.date, dt.date]:
    start, finish = day(start, "planned_start"), day(finish, "planned_finish")
    if finish < start:
        raise InputError(_("The planned finish is before the planned start."),
                         field="planned_finish")
    return start, finish


def _check_target(work: Work) -> None:
    """The kind names what is built; a line or upgrade of the same zone, not already done."""
    K = Work.Kind
    if work.kind not in K.values:
        raise InputError(_("Unknown kind of work."), field="kind")
    if work.kind == K.LINE and (work.line is None or work.upgrade is not None):
        raise InputError(_("A line work names the line it builds (and nothing else)."),
                         field="line_id")
    if work.kind == K.UPGRADE and (work.upgrade is None or work.line is not None):
        raise InputError(_("An upgrade work names the upgrade it builds (and nothing else)."),
                         field="upgrade_id")
    if work.kind in (K.FACILITY, K.OTHER) and (work.line is not None or work.upgrade is not None):
        raise InputError(_("Only line and upgrade works build a line or an upgrade."),
                         field="kind")
    target = work.line or work.upgrade
    if target is not None and target.zone_id != work.zone_id:
        raise InputError(_("The line or upgrade belongs to another zone."), field="zone")
    if work.line is not None and work.line.status == UtilityLine.Status.EXISTING:
        raise Conflict(_("Line %(code)s already exists.") % {"code": work.line.code})
    if work.upgrade is not None and work.upgrade.status not in (
            InfrastructureProject.Status.PLANNED, InfrastructureProject.Status.IN_PROGRESS):
        raise Conflict(_("The upgrade is %(status)s.")
                       % {"status": work.upgrade.get_status_display()})
    open_works = Work.objects.filter(status__in=(S.PLANNED, S.IN_PROGRESS)).exclude(pk=work.pk)
    if (work.line is not None and open_works.filter(line=work.line).exists()) or (
            work.upgrade is not None and open_works.filter(upgrade=work.upgrade).exists()):
        raise Conflict(_("Another open work already builds this."))


# --- the built object ----------------------------------------------------------------------


def _sync_target(actor: Actor, work: Work, now: dt.datetime) -> None:
    """The line's or upgrade's planned dates follow the work's current plan."""
    if work.line is not None and work.line.status != UtilityLine.Status.EXISTING:
        line = UtilityLine.objects.get(pk=work.line_id)
        if line.planned_completion != work.planned_finish:
            line.planned_completion = work.planned_finish
            feature_save(actor=actor, obj=line, now=now)
    if work.upgrade is not None:
        upgrade = InfrastructureProject.objects.get(pk=work.upgrade_id)
        if (upgrade.start_date, upgrade.planned_completion) != (work.planned_start,
                                                                work.planned_finish):
            upgrade.start_date, upgrade.planned_completion = work.planned_start, work.planned_finish
            feature_save(actor=actor, obj=upgrade, now=now)


def _start_target(actor: Actor, work: Work, now: dt.datetime) -> None:
    """Construction has begun: a planned line is under construction, a planned upgrade in
    progress."""
    if work.line_id:
        line = UtilityLine.objects.get(pk=work.line_id)
        if line.status == UtilityLine.Status.PLANNED:
            line.status = UtilityLine.Status.UNDER_CONSTRUCTION
            feature_save(actor=actor, obj=line, now=now)
    if work.upgrade_id:
        upgrade = InfrastructureProject.objects.get(pk=work.upgrade_id)
        if upgrade.status == InfrastructureProject.Status.PLANNED:
            upgrade.status = InfrastructureProject.Status.IN_PROGRESS
            feature_save(actor=actor, obj=upgrade, now=now)


def _complete_target(actor: Actor, work: Work, on: dt.date, now: dt.datetime) -> None:
    """The line exists; the upgrade is completed and its capacity added to the source."""
    if work.line_id:
        line = UtilityLine.objects.get(pk=work.line_id)
        line.status = UtilityLine.Status.EXISTING
        feature_save(actor=actor, obj=line, now=now)
    if work.upgrade_id:
        upgrade = InfrastructureProject.objects.get(pk=work.upgrade_id)
        if upgrade.source_id and upgrade.capacity_added:
            source = UtilitySource.objects.select_for_update().get(pk=upgrade.source_id)
            source.capacity = source.capacity + upgrade.capacity_added
            feature_save(actor=actor, obj=source, now=now)
        upgrade.status = InfrastructureProject.Status.COMPLETED
        upgrade.actual_completion = on
        feature_save(actor=actor, obj=upgrade, now=now)


# --- works ---------------------------------------------------------------------------------


@transaction.atomic
def work_create(  # noqa: PLR0913 - the work's fields, keyword-only, as the form and API send them
    *, actor: Actor, zone: Zone, name: str, kind: str, contractor: str, funding_source: str,
    planned_start: dt.date, planned_finish: dt.date, contract_number: str = "",
    contract_value_kzt: Any = None, line: UtilityLine | None = None,
    upgrade: InfrastructureProject | None = None, now: dt.datetime | None = None,
) -> Work:
    """A new work with its baseline (plan version 1); a line or upgrade it builds takes the
    work's planned dates."""
    _require_manager(actor)
    now = now or timezone.now()
    start, finish = _plan(planned_start, planned_finish)
    work = Work(
        zone=zone, name=text(name, "name", required=True, limit=255), kind=kind,
        line=line, upgrade=upgrade, contractor=text(contractor, "contractor", required=True,
                                                     limit=255),
        contract_number=text(contract_number, "contract_number", limit=64),
        contract_value_kzt=money(contract_value_kzt, "contract_value_kzt"),
        funding_source=funding_source, planned_start=start, planned_finish=finish,
        created_at=now, created_by=person(actor),
    )
    _check_target(work)
    validated(work)
    try:
        with transaction.atomic():
            work.save()
    except IntegrityError as exc:  # a concurrent work took the same line or upgrade
        raise Conflict(_("Another open work already builds this.")) from exc
    WorkPlan.objects.create(work=work, version=1, planned_start=start, planned_finish=finish,
                            contract_value_kzt=work.contract_value_kzt, reason="",
                            created_at=now, created_by=person(actor))
    _sync_target(actor, work, now)
    audit_record(actor=actor, action="work.created", obj=work, after=snapshot(work), now=now)
    return work


@transaction.atomic
def work_replan(*, actor: Actor, work: Work, planned_start: dt.date, planned_finish: dt.date,
                contract_value_kzt: Any, reason: str, now: dt.datetime | None = None) -> WorkPlan:
    """A new plan version (the baseline and earlier versions stay as they were)."""
    _require_manager(actor)
    now = now or timezone.now()
    reason = text(reason, "reason", required=True)
    start, finish = _plan(planned_start, planned_finish)
    value = money(contract_value_kzt, "contract_value_kzt")
    work = _locked(work)
    _require_open(work)
    before = snapshot(work, ["planned_start", "planned_finish", "contract_value_kzt"])
    if (start, finish, value) == (work.planned_start, work.planned_finish,
                                  work.contract_value_kzt):
        raise InputError(_("The new plan is the same as the current one."))
    version = work.plans.count() + 1
    plan = WorkPlan.objects.create(work=work, version=version, planned_start=start,
                                   planned_finish=finish, contract_value_kzt=value, reason=reason,
                                   created_at=now, created_by=person(actor))
    work.planned_start, work.planned_finish, work.contract_value_kzt = start, finish, value
    work.save(update_fields=["planned_start", "planned_finish", "contract_value_kzt"])
    _sync_target(actor, work, now)
    b, a = changed(before, snapshot(work, list(before)))
    audit_record(actor=actor, action="work.replanned", obj=work, before=b,
                 after=a | {"version": version, "reason": reason}, now=now)
    return plan


def _percent(value: Any) -> Decimal:
    message = _("The percent done is a number from 0 to 100 with at most two decimals.")
    number = decimal(value, "percent", upper=Decimal("100.001"), message=message)
    if number is None or number > 100:
        raise InputError(message, field="percent")
    return number


def _photos(photos: Any) -> list[tuple[Any, str]]:
    """(upload, kind) for each photo, checked by size and content before anything is written."""
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise InputError(_("At most %(n)s photos per report.") % {"n": MAX_PHOTOS}, field="photos")
    out = []
    for upload in photos:
        if upload.size > MAX_PHOTO_BYTES:
            raise InputError(_("A photo may be at most 10 MB."), field="photos")
        kind = files.sniff(upload)
        if kind not in PHOTO_KINDS:
            raise InputError(_("Photos must be PNG or JPEG images."), field="photos")
        out.append((upload, kind))
    return out


@transaction.atomic
def work_report_progress(
    *, actor: Actor, work: Work, reported_on: dt.date, percent: Any, spent_kzt: Any = None,
    remarks: str = "", photos: Any = (), now: dt.datetime | None = None,
) -> WorkProgress:
    """Percent done and money spent to date, as of a date no earlier than the last report.

    The first report with work done starts the work (and its line or upgrade)."""
    _require_manager(actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    reported_on = day(reported_on, "reported_on", latest=today)
    pct = _percent(percent)
    spent = money(spent_kzt, "spent_kzt")
    remarks = text(remarks, "remarks")
    checked = _photos(photos)
    work = _locked(work)
    _require_open(work)
    last = work.progress.order_by("-reported_on", "-id").first()
    if last is not None and reported_on < last.reported_on:
        raise InputError(_("A report cannot be dated before the last one (%(date)s).")
                         % {"date": l10n.day(last.reported_on)}, field="reported_on")
    if last is not None and spent is not None and last.spent_kzt is not None \
            and spent < last.spent_kzt:
        raise InputError(_("Money spent to date cannot fall below the last report's %(kzt)s.")
                         % {"kzt": last.spent_kzt}, field="spent_kzt")
    report = WorkProgress.objects.create(work=work, reported_on=reported_on, percent=pct,
                                         spent_kzt=spent, remarks=remarks, created_at=now,
                                         created_by=person(actor))
    with files.stored_with_rows() as stored:
        for upload, kind in checked:
            content_type, ext = files.KINDS[kind]
            photo = WorkPhoto(progress=report, content_type=content_type, size=upload.size,
                              original_name=os.path.basename(str(upload.name or "photo"))[:200])
            photo.file.save(f"{work.pk}.{ext}", upload, save=False)  # our name, not theirs
            stored.append(photo.file.name)
            photo.save()
        if work.status == S.PLANNED and pct > 0:
            work.status, work.started_on = S.IN_PROGRESS, reported_on
            work.save(update_fields=["status", "started_on"])
            audit_record(actor=actor, action="work.started", obj=work, now=now,
                         before={"status": S.PLANNED},
                         after={"status": S.IN_PROGRESS, "started_on": reported_on})
            _start_target(actor, work, now)
        audit_record(actor=actor, action="work.progress_reported", obj=work, now=now,
                     after={"progress": report.pk, "reported_on": reported_on, "percent": pct,
                            "spent_kzt": spent, "photos": len(stored)})
    return report


@transaction.atomic
def work_inspect(*, actor: Actor, work: Work, inspected_on: dt.date, inspector: str,
                 findings: str = "", fix_by: dt.date | None = None,
                 now: dt.datetime | None = None) -> Inspection:
    """A quality inspection of an open work; findings need a deadline to fix them."""
    _require_manager(actor)
    now = now or timezone.now()
    inspected_on = day(inspected_on, "inspected_on", latest=timezone.localdate(now))
    inspector = text(inspector, "inspector", required=True, limit=255)
    findings = text(findings, "findings")
    if findings:
        if fix_by is None:
            raise InputError(_("Findings need a deadline to fix them."), field="fix_by")
        fix_by = day(fix_by, "fix_by")
        if fix_by < inspected_on:
            raise InputError(_("The deadline to fix is before the inspection."), field="fix_by")
    elif fix_by is not None:
        raise InputError(_("A deadline needs findings to fix."), field="fix_by")
    work = _locked(work)
    _require_open(work)
    inspection = Inspection.objects.create(
        work=work, inspected_on=inspected_on, inspector=inspector, findings=findings,
        fix_by=fix_by, created_at=now, created_by=person(actor))
    audit_record(actor=actor, action="work.inspected", obj=work, now=now,
                 after={"inspection": inspection.pk, "inspected_on": inspected_on,
                        "findings": findings, "fix_by": fix_by})
    return inspection


@transaction.atomic
def inspection_fix(*, actor: Actor, inspection: Inspection, fixed_on: dt.date, note: str = "",
                   now: dt.datetime | None = None) -> Inspection:
    """Record that an inspection's findings were fixed."""
    _require_manager(actor)
    now = now or timezone.now()
    fixed_on = day(fixed_on, "fixed_on", latest=timezone.localdate(now))
    note = text(note, "note")
    _locked(inspection.work)
    inspection.refresh_from_db()
    if not inspection.is_open:
        raise Conflict(_("This inspection has no open findings."))
    if fixed_on < inspection.inspected_on:
        raise InputError(_("The fix is dated before the inspection."), field="fixed_on")
    inspection.fixed_on, inspection.fix_note = fixed_on, note
    inspection.save(update_fields=["fixed_on", "fix_note"])
    audit_record(actor=actor, action="work.finding_fixed", obj=inspection.work, now=now,
                 after={"inspection": inspection.pk, "fixed_on": fixed_on, "note": note})
    return inspection


@transaction.atomic
def work_accept(*, actor: Actor, work: Work, accepted_on: dt.date, remarks: str = "",
                now: dt.datetime | None = None) -> Work:
    """Accept a finished work: reported 100% done and no inspection finding open. A line it
    builds becomes existing; an upgrade's capacity is added to its source."""
    _require_manager(actor)
    now = now or timezone.now()
    accepted_on = day(accepted_on, "accepted_on", latest=timezone.localdate(now))
    remarks = text(remarks, "remarks")
    work = _locked(work)
    _require_open(work)
    last = work.progress.order_by("-reported_on", "-id").first()
    if work.status != S.IN_PROGRESS or last is None or last.percent < 100:
        raise Conflict(_("Only a work reported 100% done can be accepted."),
                       details={"percent": str(last.percent) if last else None})
    if accepted_on < last.reported_on:
        raise InputError(_("Acceptance cannot be dated before the last report (%(date)s).")
                         % {"date": l10n.day(last.reported_on)}, field="accepted_on")
    still_open = [i.pk for i in work.inspections.all() if i.is_open]
    if still_open:
        raise Conflict(_("Inspection findings are still open; fix them first."),
                       details={"inspections": still_open})
    work.status, work.accepted_on, work.closing_remarks = S.ACCEPTED, accepted_on, remarks
    work.save(update_fields=["status", "accepted_on", "closing_remarks"])
    audit_record(actor=actor, action="work.accepted", obj=work, now=now,
                 before={"status": S.IN_PROGRESS},
                 after={"status": S.ACCEPTED, "accepted_on": accepted_on, "remarks": remarks,
                        "line": work.line_id, "upgrade": work.upgrade_id})
    _complete_target(actor, work, accepted_on, now)
    # A line completed is news: a draft for the newsroom, never published by itself.
    article_draft_from_event(event="work.accepted", obj=work, now=now, actor=actor,
                             facts={"name": work.name, "contractor": work.contractor})
    return work


@transaction.atomic
def work_cancel(*, actor: Actor, work: Work, reason: str, now: dt.datetime | None = None) -> Work:
    """Cancel an open work (the line or upgrade stays as it is, for another contract)."""
    _require_manager(actor)
    now = now or timezone.now()
    reason = text(reason, "reason", required=True)
    work = _locked(work)
    _require_open(work)
    before = work.status
    work.status, work.cancelled_on, work.closing_remarks = (S.CANCELLED, timezone.localdate(now),
                                                            reason)
    work.save(update_fields=["status", "cancelled_on", "closing_remarks"])
    audit_record(actor=actor, action="work.cancelled", obj=work, now=now,
                 before={"status": before}, after={"status": S.CANCELLED, "reason": reason})
    return work
