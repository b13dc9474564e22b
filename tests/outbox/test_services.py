"""The outbox: one line subjects, valid recipients only, nothing sent for a rolled-back change,
failures retried with growing delays and then marked failed (logged, visible, retryable)."""

from __future__ import annotations

import datetime as dt
from email import message_from_string

import pytest
from django.core import mail
from django.db import transaction

from promzona.core.errors import Forbidden
from promzona.outbox.models import OutgoingEmail
from promzona.outbox.services import (
    MAX_ATTEMPTS,
    mail_enqueue,
    outbox_retry,
    outbox_send,
    retry_delay,
)
from tests.payloads import HEADERS

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("subject", HEADERS)
def test_line_breaks_in_the_subject_never_make_a_header(subject):
    mail_enqueue(to=["a@example.kz"], subject=subject, body="body\nwith lines", now=NOW)
    assert outbox_send(now=NOW) == {"sent": 1, "retry": 0, "failed": 0}
    sent = mail.outbox[-1]
    assert sent.subject == " ".join(subject.split()) and sent.recipients() == ["a@example.kz"]
    headers = message_from_string(sent.message().as_string())
    assert headers["Bcc"] is None and headers["X-Injected"] is None
    assert headers.get_all("Subject") == [sent.subject]
    assert sent.body == "body\nwith lines"


def test_recipients_that_are_not_one_valid_address_are_dropped(caplog):
    message = mail_enqueue(to=["ok@example.kz", "x@example.kz\r\nBcc: victim@example.org",
                               "not an address", "ok@example.kz"], subject="s", body="b", now=NOW)
    assert message.to == ["ok@example.kz"] and "refused the recipient" in caplog.text
    assert mail_enqueue(to=["broken\n@example.kz"], subject="s", body="b") is None


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), \
            pytest.raises(RuntimeError), transaction.atomic():
        mail_enqueue(to=["a@example.kz"], subject="s", body="b")
        raise RuntimeError("the change failed")
    assert not OutgoingEmail.objects.exists() and mail.outbox == []


def test_the_mail_is_sent_when_the_change_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = mail_enqueue(to=["a@example.kz"], subject="s", body="secret link")
        assert mail.outbox == []  # not before the commit
    message.refresh_from_db()
    assert len(mail.outbox) == 1 and message.status == "sent" and message.attempts == 1
    assert message.body == ""  # a one-time link is not kept once sent


def test_a_failing_server_is_retried_with_growing_delays_then_given_up(refusing_smtp, caplog):
    message = mail_enqueue(to=["a@example.kz"], subject="s", body="b", now=NOW)
    now, waits = NOW, []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert outbox_send(now=now - dt.timedelta(seconds=1)) == {"sent": 0, "retry": 0,
                                                                  "failed": 0}  # not yet due
        counts = outbox_send(now=now)
        message.refresh_from_db()
        assert message.attempts == attempt and "SMTPConnectError" in message.last_error
        if attempt < MAX_ATTEMPTS:
            assert counts["retry"] == 1 and message.status == "pending"
            waits.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    assert counts["failed"] == 1 and message.status == "failed"
    assert waits == [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits[0] == dt.timedelta(minutes=1) and waits[1] == dt.timedelta(minutes=2)
    assert waits == sorted(waits) and waits[-1] == dt.timedelta(hours=1)
    assert len(refusing_smtp) == MAX_ATTEMPTS
    assert "failed for good" in caplog.text
    assert outbox_send(now=now + dt.timedelta(days=1))["sent"] == 0  # left for staff


def test_staff_give_failed_mail_another_round(staff_user):
    from promzona.accounts.models import User

    message = mail_enqueue(to=["a@example.kz"], subject="s", body="b", now=NOW)
    OutgoingEmail.objects.filter(pk=message.pk).update(status="failed", attempts=MAX_ATTEMPTS)
    with pytest.raises(Forbidden):
        outbox_retry(actor=User.objects.get(username="demo-manager"),
                     messages=OutgoingEmail.objects.all())
    later = NOW + dt.timedelta(days=2)
    assert outbox_retry(actor=staff_user, messages=OutgoingEmail.objects.all(), now=later) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("pending", 0, later)
    from promzona.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="email.retried")
    assert entry.actor == staff_user and entry.object_id == str(message.pk)
    assert outbox_send(now=later)["sent"] == 1 and len(mail.outbox) == 1


def test_a_message_is_sent_once_even_when_two_senders_see_it():
    message = mail_enqueue(to=["a@example.kz"], subject="s", body="b", now=NOW)
    assert outbox_send(now=NOW, ids=[message.pk])["sent"] == 1
    assert outbox_send(now=NOW, ids=[message.pk])["sent"] == 0
    # A sender that claimed it and died leaves it to the next run once the lease is over.
    other = mail_enqueue(to=["b@example.kz"], subject="s", body="b", now=NOW)
    OutgoingEmail.objects.filter(pk=other.pk).update(next_attempt_at=NOW + dt.timedelta(minutes=5))
    assert outbox_send(now=NOW)["sent"] == 0
    assert outbox_send(now=NOW + dt.timedelta(minutes=5))["sent"] == 1
    assert len(mail.outbox) == 2


def test_sent_mail_is_kept_thirty_days():
    old = mail_enqueue(to=["a@example.kz"], subject="old", body="b", now=NOW)
    outbox_send(now=NOW)
    mail_enqueue(to=["a@example.kz"], subject="new", body="b", now=NOW + dt.timedelta(days=29))
    outbox_send(now=NOW + dt.timedelta(days=31))
    assert not OutgoingEmail.objects.filter(pk=old.pk).exists()
    assert OutgoingEmail.objects.get(subject="new").status == "sent"


def test_the_delay_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 9)] == \
        [1, 2, 4, 8, 16, 32, 60, 60]

