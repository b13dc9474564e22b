"""Sending email: :func:`mail_enqueue` is the one way promzona sends mail.

A message is written in the caller's transaction (so a rolled-back change sends nothing); once
that transaction commits, a task (:mod:`promzona.outbox.tasks`) sends it on the worker and, when
sending fails, schedules the next attempt with a growing delay. The table stays the durable
record: :func:`outbox_send` (``promzona outbox send``, from a timer) sends whatever is due that
no task took. A failing mail server therefore never turns a committed change into an error
page. Staff see what is waiting or has failed in the admin. Links in mail are made by
:func:`absolute_link` from ``PROMZONA_BASE_URL``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record
from promzona.core.errors import Forbidden
from promzona.core.sinks import single_line

from .models import OutgoingEmail

log = logging.getLogger(__name__)
S = OutgoingEmail.Status
SUBJECT_LENGTH = 150
#: Attempts before a message is marked failed; the delay doubles from ``FIRST_DELAY`` up to
#: ``LONGEST_DELAY`` (1, 2, 4, … minutes: about four hours in all).
MAX_ATTEMPTS = 10
FIRST_DELAY = dt.timedelta(minutes=1)
LONGEST_DELAY = dt.timedelta(hours=1)
#: A sender claims a message for this long; a sender that dies mid-way leaves it to the next.
LEASE = dt.timedelta(minutes=5)
KEEP_SENT = dt.timedelta(days=30)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def _addresses(to: Iterable[str]) -> list[str]:
    good = []
    for address in to:
        try:
            validate_email(address)  # no line breaks, no second address
        except ValidationError:
            log.warning("outbox: refused the recipient %r", str(address)[:100])
        else:
            good.append(address)
    return sorted(set(good))


def absolute_link(path: str) -> str:
    """The address of ``path`` (``/plots/…``) on the site, for mail: from ``PROMZONA_BASE_URL``,
    never from the Host of a request."""
    return settings.PROMZONA_BASE_URL + path


def mail_enqueue(*, to: Iterable[str], subject: str, body: str,
                 now: dt.datetime | None = None) -> OutgoingEmail | None:
    """Queue an email to ``to``, sent when the current transaction commits.

    The subject is made one line (no header can be injected through it) and cut to
    150 characters; recipients that are not single valid addresses are dropped (logged).
    Returns the queued message, or ``None`` when no recipient is left.
    """
    now = now or timezone.now()
    recipients = _addresses(to)
    if not recipients:
        return None
    with transaction.atomic():
        message = OutgoingEmail.objects.create(
            to=recipients, subject=single_line(subject, max_length=SUBJECT_LENGTH), body=body,
            created_at=now, next_attempt_at=now)
    transaction.on_commit(lambda: _send_later(message.pk, due=now), robust=True)
    return message


def _send_later(pk: int, *, due: dt.datetime, defer: bool = False) -> None:
    """Hand the message, due at ``due``, to the task queue; with ``defer``, to be run then
    (where the backend cannot defer, ``promzona outbox send`` sends it)."""
    from .tasks import email_send

    task = email_send
    if defer:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=due)
    task.enqueue(pk, due.isoformat())


def email_send_one(pk: int, *, now: dt.datetime | None = None) -> str | None:
    """Send message ``pk`` if it is due at ``now`` (the task's work): ``sent``, ``retry`` (the
    next attempt is scheduled), ``failed``, or ``None`` when it was not due or is taken."""
    now = max(now or timezone.now(), timezone.now())
    counts = outbox_send(ids=[pk], now=now)
    outcome = next((k for k, n in counts.items() if n), None)
    if outcome == "retry":
        _send_later(pk, defer=True,
                    due=OutgoingEmail.objects.values_list("next_attempt_at", flat=True).get(pk=pk))
    return outcome


def outbox_send(*, now: dt.datetime | None = None, ids: list[int] | None = None,
                limit: int = 200) -> dict[str, int]:
    """Send the messages that are due (only those of ``ids`` when given), oldest first.

    Each message is claimed with a conditional UPDATE, so two senders never send it twice.
    Returns how many were ``sent``, put back for a ``retry`` and ``failed`` for good. Sent
    messages older than 30 days are deleted.
    """
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(status=S.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        claimed = OutgoingEmail.objects.filter(pk=pk, status=S.PENDING, next_attempt_at__lte=now) \
            .update(next_attempt_at=now + LEASE)
        if claimed:
            counts[_deliver(OutgoingEmail.objects.get(pk=pk), now=now)] += 1
    if ids is None:
        OutgoingEmail.objects.filter(status=S.SENT, sent_at__lt=now - KEEP_SENT).delete()
    return counts


def _deliver(message: OutgoingEmail, *, now: dt.datetime) -> str:
    message.attempts += 1
    try:
        EmailMessage(message.subject, message.body, None, message.to).send()
    except Exception as exc:  # any failure of the mail server or the network: try again later
        message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = S.FAILED
            log.error("outbox: email %s failed for good after %s attempts: %s", message.pk,
                      message.attempts, message.last_error)
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
            log.warning("outbox: email %s failed (attempt %s), next try at %s: %s", message.pk,
                        message.attempts, message.next_attempt_at.isoformat(),
                        message.last_error)
        message.save(update_fields=["attempts", "status", "next_attempt_at", "last_error"])
        return "failed" if message.status == S.FAILED else "retry"
    message.status, message.sent_at, message.body = S.SENT, now, ""
    message.save(update_fields=["attempts", "status", "sent_at", "body"])
    return "sent"


@transaction.atomic
def outbox_retry(*, actor: Actor, messages: Iterable[OutgoingEmail],
                 now: dt.datetime | None = None) -> int:
    """Give failed messages a fresh round of attempts, starting now; returns how many."""
    if not getattr(actor, "is_zone_staff", False):
        raise Forbidden(_("Only zone office staff may retry emails."))
    now = now or timezone.now()
    count = 0
    for message in messages:
        if message.status != S.FAILED:
            continue
        OutgoingEmail.objects.filter(pk=message.pk).update(
            status=S.PENDING, attempts=0, next_attempt_at=now)
        audit_record(actor=actor, action="email.retried", obj=message,
                     before={"status": S.FAILED, "last_error": message.last_error},
                     after={"status": S.PENDING}, now=now)
        transaction.on_commit(lambda pk=message.pk: _send_later(pk, due=now), robust=True)
        count += 1
    return count
