"""The daily digest (``promzona instructions remind``) and the one function that mails it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.audit.services import audit_record
from promzona.core import instructions as rules
from promzona.outbox.services import absolute_link, mail_enqueue

from .models import Digest, Instruction


def send(subject: str, body: str, recipients: list[str]) -> None:
    """Every mail of instructions goes out here, through the outbox (sent after commit,
    retried when the mail server refuses)."""
    mail_enqueue(to=recipients, subject=subject, body=body)


def _recipients(instruction: Instruction) -> list[tuple[Any, str]]:
    """(user, part): the responsible person, or else the executing body's members; the
    controller."""
    executors = ([instruction.executor_person] if instruction.executor_person_id
                 else list(instruction.executor.members.all()))
    return [(u, rules.EXECUTOR) for u in executors] + [(instruction.controller, rules.CONTROLLER)]


def plan(*, today: dt.date) -> dict[Any, dict[str, dict[str, list[Instruction]]]]:
    """user -> part (executor/controller) -> ``overdue`` / ``due`` -> instructions, for every
    active user with an e-mail address who has something overdue or due within
    :data:`~promzona.core.instructions.DIGEST_DAYS` days."""
    out: dict[Any, dict[str, dict[str, list[Instruction]]]] = defaultdict(
        lambda: {rules.EXECUTOR: {"overdue": [], "due": []},
                 rules.CONTROLLER: {"overdue": [], "due": []}})
    open_ = (Instruction.objects.filter(on_control=True).exclude(status=Instruction.Status.ACCEPTED)
             .select_related("executor", "executor_person", "controller", "issuer")
             .prefetch_related("executor__members").order_by("deadline", "id"))
    for instr in open_:
        args = {"deadline": instr.deadline, "status": instr.status, "on_control": instr.on_control,
                "today": today}
        if rules.is_overdue(**args):
            group = "overdue"
        elif rules.is_due_within(**args, days=rules.DIGEST_DAYS):
            group = "due"
        else:
            continue
        for user, part in _recipients(instr):
            if user.is_active and user.email:
                out[user][part][group].append(instr)
    return dict(out)


def _line(instr: Instruction, today: dt.date) -> str:
    url = absolute_link(reverse("instructions:detail", args=[instr.pk]))
    return _("  № %(number)s “%(title)s”, deadline %(deadline)s (%(days)s days), %(status)s: %(url)s") % {
        "number": instr.number, "title": instr.title[:120], "deadline": l10n.day(instr.deadline),
        "days": (instr.deadline - today).days, "status": instr.get_status_display(), "url": url}


def _text(sections: dict[str, dict[str, list[Instruction]]], today: dt.date) -> str:
    heads = {
        (rules.EXECUTOR, "overdue"): _("To execute — overdue:"),
        (rules.EXECUTOR, "due"): _("To execute — due within %(n)s days:") % {"n": rules.DIGEST_DAYS},
        (rules.CONTROLLER, "overdue"): _("On your control — overdue:"),
        (rules.CONTROLLER, "due"): _("On your control — due within %(n)s days:") % {
            "n": rules.DIGEST_DAYS},
    }
    parts = [_("Instructions as of %(day)s.") % {"day": l10n.day(today)}]
    for (part, group), head in heads.items():
        items = sections[part][group]
        if items:
            parts.append("\n".join([head] + [_line(i, today) for i in items]))
    return "\n\n".join(parts)


def reminders_send(*, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Mail each executor and controller their digest for ``today``; the number of digests
    sent. A user gets at most one digest a day, however often (or wherever) the job runs: the
    day's :class:`Digest` row is written in the same transaction as the mail is queued."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sent = 0
    for user, sections in sorted(plan(today=today).items(), key=lambda kv: kv[0].pk):
        overdue = sum(len(s["overdue"]) for s in sections.values())
        due = sum(len(s["due"]) for s in sections.values())
        with transaction.atomic():
            try:
                with transaction.atomic():
                    digest = Digest.objects.create(user=user, day=today, sent_at=now,
                                                   overdue=overdue, due_soon=due)
            except IntegrityError:
                continue  # already sent today
            audit_record(actor=None, action="instruction.digest_sent", obj=digest, now=now,
                         after={"user": user.pk, "day": today, "overdue": overdue, "due": due})
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Instructions: %(overdue)s overdue, %(due)s due soon") % {
                    "overdue": overdue, "due": due}
                send(subject, _text(sections, today), [user.email])
        sent += 1
    return sent
