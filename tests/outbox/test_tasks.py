"""Mail on the task queue (django-tasks' database backend, run by ``promzona worker``): sent by
the worker after commit, and a refused send schedules the next attempt at the back-off time
instead of being lost or marked sent."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from promzona.outbox.models import OutgoingEmail
from promzona.outbox.services import mail_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _work():
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0, stdout=io.StringIO())


def test_mail_waits_for_the_worker_and_is_sent_by_it(db_tasks):
    message = mail_enqueue(to=["a@example.kz"], subject="Hello", body="Body")
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "promzona.outbox.tasks.email_send"
    assert task.args_kwargs["args"][0] == message.pk
    _work()
    assert [m.subject for m in mail.outbox] == ["Hello"]
    message.refresh_from_db()
    assert message.status == "sent" and message.body == ""


def test_a_refused_send_is_scheduled_again_with_back_off(db_tasks, refusing_smtp):
    message = mail_enqueue(to=["a@example.kz"], subject="Hello", body="Body")
    _work()
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1 and message.sent_at is None
    assert "421" in message.last_error
    retry = DBTaskResult.objects.ready().filter(run_after__isnull=False)
    later = DBTaskResult.objects.exclude(status="SUCCESSFUL").get()
    assert later.run_after == message.next_attempt_at and not retry.exists()
    _work()  # not due yet: the worker leaves it
    message.refresh_from_db()
    assert message.attempts == 1 and len(refusing_smtp) == 1
    OutgoingEmail.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=message.created_at)
    _work()
    message.refresh_from_db()
    assert message.attempts == 2 and len(refusing_smtp) == 2
