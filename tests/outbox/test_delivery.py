"""Email from the application workflow, saved-search alerts and password resets: a failing mail
server never turns a committed change into an error page, the mail follows later, and a
project or search name cannot add a header."""

from __future__ import annotations

import datetime as dt
import io
from email import message_from_string

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from promzona.accounts.models import User
from promzona.applications import services
from promzona.applications.models import Application
from promzona.outbox.models import OutgoingEmail
from tests.payloads import HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def investor(demo):
    user = User.objects.get(username="demo-investor")
    User.objects.filter(organisation=user.organisation).update(email="")
    User.objects.filter(pk=user.pk).update(email="investor@example.kz")
    user.refresh_from_db()
    return user


def _submitted(investor, project_name="Metal works"):
    app = services.application_create(
        actor=investor, project_name=project_name, sector="C25", investment_kzt=1_000_000,
        jobs_planned=10, needs={"power_kw": 10})
    services.application_submit(actor=investor, application=app)
    return app


def _drain_later():
    out = io.StringIO()
    call_command("outbox", "send", stdout=out)  # at "now": the first retry is a minute away
    OutgoingEmail.objects.filter(status="pending").update(next_attempt_at=timezone.now())
    call_command("outbox", "send", stdout=out)
    return out.getvalue()


def test_a_status_change_commits_and_answers_although_the_mail_server_fails(
        investor, staff_client, refusing_smtp, settings, django_capture_on_commit_callbacks):
    app = _submitted(investor)
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        r = staff_client.post(f"/applications/{app.pk}/start_review/", {"comment": "Looking"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == Application.Status.UNDER_REVIEW
    message = OutgoingEmail.objects.get()
    assert message.status == "pending" and message.attempts == 1
    assert "SMTPConnectError" in message.last_error and len(refusing_smtp) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # server is back
    assert "1 sent" in _drain_later()
    assert [m.to for m in mail.outbox] == [["investor@example.kz"]]
    assert "Looking" in mail.outbox[0].body


@pytest.mark.parametrize("name", HEADERS)
def test_a_project_name_cannot_add_a_header(investor, staff_user, name,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = _submitted(investor, project_name=name)
        services.application_start_review(actor=staff_user, application=app, comment="")
    assert len(mail.outbox) == 2
    for sent in mail.outbox:
        headers = message_from_string(sent.message().as_string())
        assert "\n" not in sent.subject and "\r" not in sent.subject
        assert headers["Bcc"] is None and headers["X-Injected"] is None
        assert sent.recipients() == ["investor@example.kz"]
    assert " ".join(name.split())[:40] in mail.outbox[-1].subject


def test_a_saved_search_name_cannot_add_a_header(demo, django_capture_on_commit_callbacks):
    from promzona.matching.services import alerts_run, saved_search_create
    from promzona.zones.models import Plot

    user = User.objects.get(username="demo-investor")
    User.objects.filter(pk=user.pk).update(email="investor@example.kz")
    user.refresh_from_db()
    saved_search_create(actor=user, name=HEADERS[0], request={"sector": "C25"})
    Plot.objects.filter(zone=demo, status="draft").update(status="published")
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_run(now=timezone.now() + dt.timedelta(seconds=1)) > 0
    assert mail.outbox
    for sent in mail.outbox:
        assert "Bcc" not in message_from_string(sent.message().as_string())
        assert sent.recipients() == ["investor@example.kz"]
        assert "Project Bcc: victim@example.org" in sent.subject


def test_a_password_reset_answers_although_the_mail_server_fails(
        client, demo, refusing_smtp, django_capture_on_commit_callbacks):
    User.objects.filter(username="demo-investor").update(email="investor@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/accounts/password_reset/", {"email": "investor@example.kz"})
    assert r.status_code == 302
    message = OutgoingEmail.objects.get()
    assert message.status == "pending" and message.to == ["investor@example.kz"]
    assert "/accounts/reset/" in message.body
