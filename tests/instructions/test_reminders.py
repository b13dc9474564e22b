"""``promzona instructions remind``: one digest a day per person, what is overdue and due soon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from promzona.instructions.models import Digest
from promzona.instructions.reminders import reminders_send

from .conftest import issue

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def sent_to(outbox):
    return {m.to[0]: m for m in outbox}


def test_digest_lists_overdue_and_due_soon_for_executor_and_controller(
        people, bodies, today, django_capture_on_commit_callbacks):
    late = issue(people, bodies, title="Late line", issued_on=today - 9 * DAY, deadline=today - DAY)
    soon = issue(people, bodies, title="Soon line", deadline=today + 3 * DAY)
    issue(people, bodies, title="Far line", deadline=today + 4 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        count = reminders_send(today=today)
    mails = sent_to(mail.outbox)
    assert count == len(mail.outbox) >= 2
    executor, controller = mails["demo-executor@example.org"], mails["demo-staff@example.org"]
    for m in (executor, controller):
        assert late.number in m.body and soon.number in m.body and "Far line" not in m.body
    assert executor.body.index(late.number) < executor.body.index(soon.number)


def test_run_twice_in_a_day_sends_once(people, bodies, today, django_capture_on_commit_callbacks):
    issue(people, bodies, issued_on=today - 9 * DAY, deadline=today - DAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_send(today=today)
    assert first > 0 and second == 0
    assert len(mail.outbox) == first
    assert Digest.objects.filter(day=today).count() == first
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=today + DAY) > 0  # the next day, again


def test_accepted_and_removed_instructions_are_not_reminded(people, bodies, today,
                                                            django_capture_on_commit_callbacks):
    from promzona.instructions import services
    from promzona.instructions.models import Instruction

    Instruction.objects.update(on_control=False)  # the demo's own instructions stay quiet
    late = issue(people, bodies, issued_on=today - 9 * DAY, deadline=today - DAY)
    services.instruction_remove(actor=people["staff"], instruction=late, reason="Obsolete")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=today) == 0
    assert mail.outbox == []


def test_command_prints_the_count_and_refuses_a_bad_date(people, bodies, today, capsys):
    issue(people, bodies, issued_on=today - 9 * DAY, deadline=today - DAY)
    call_command("instructions", "remind", "--today", today.isoformat())
    assert "digest(s) sent" in capsys.readouterr().out
    before = Digest.objects.count()
    for bad in ("2026-13-01", "tomorrow", "x" * 10000):
        with pytest.raises(CommandError):
            call_command("instructions", "remind", "--today", bad)
    with pytest.raises(CommandError):
        call_command("instructions", "forget")
    assert Digest.objects.count() == before
