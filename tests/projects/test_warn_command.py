"""``promzona projects warn``: staff and managers hear of an overdue obligation once."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from promzona.matching.models import Notice


def _run():
    out = io.StringIO()
    call_command("projects", "warn", stdout=out)
    return out.getvalue()


def test_each_overdue_obligation_is_announced_once(users, project,
                                                  django_capture_on_commit_callbacks):
    for u in (users["staff"], users["manager"]):
        u.email = f"{u.username}@example.org"
        u.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = _run()
    assert "2 overdue obligation(s) announced." in out  # design and construction start
    notices = Notice.objects.filter(url=f"/projects/{project.pk}/")
    assert sorted(notices.values_list("user__username", flat=True)) == [
        "demo-manager", "demo-manager", "demo-staff", "demo-staff"]
    assert not Notice.objects.filter(user=users["a"]).exists()
    assert len(mail.outbox) == 2 and sorted(mail.outbox[0].to) == [
        "demo-manager@example.org", "demo-staff@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 overdue obligation(s) announced." in _run()
    assert len(mail.outbox) == 2 and notices.count() == 4


def test_done_or_terminated_obligations_are_not_announced(users, project, today):
    from promzona.projects import services

    for kind in ("design", "construction_start"):
        services.milestone_done(actor=users["staff"], done_on=today,
                                milestone=project.milestones.get(kind=kind))
    assert "0 overdue" in _run()


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError):
        call_command("projects", "nuke")
