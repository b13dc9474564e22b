"""Staff see the outbox in the admin (what waits, what failed and why) without the bodies, and
can give failed mail another round; nobody edits it there."""

from __future__ import annotations

import pytest

from promzona.outbox.models import OutgoingEmail
from promzona.outbox.services import mail_enqueue

pytestmark = pytest.mark.django_db
URL = "/admin/outbox/outgoingemail/"


@pytest.fixture
def failed(demo):
    message = mail_enqueue(to=["a@example.kz"], subject="Application #1", body="SECRET-LINK")
    OutgoingEmail.objects.filter(pk=message.pk).update(
        status="failed", attempts=10, last_error="SMTPConnectError: (421, b'busy')")
    return message


def test_staff_see_failures_but_not_bodies(staff_client, failed):
    listing = staff_client.get(URL).content.decode()
    assert "SMTPConnectError" in listing and "a@example.kz" in listing
    page = staff_client.get(f"{URL}{failed.pk}/change/")
    assert page.status_code == 200 and "SECRET-LINK" not in page.content.decode()
    assert "SECRET-LINK" not in listing


def test_the_retry_action_puts_failed_mail_back_and_is_audited(staff_client, failed):
    from promzona.audit.models import AuditEntry

    r = staff_client.post(URL, {"action": "retry", "_selected_action": [failed.pk]})
    assert r.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.attempts == 0
    assert AuditEntry.objects.filter(action="email.retried", object_id=str(failed.pk)).exists()


@pytest.mark.parametrize("path", ["add/", "{pk}/delete/"])
def test_nobody_adds_or_deletes_mail_in_the_admin(staff_client, failed, path):
    assert staff_client.get(URL + path.format(pk=failed.pk)).status_code == 403


def test_others_do_not_see_the_outbox(manager_client, investor_client, failed):
    for client in (manager_client, investor_client):
        assert client.get(URL).status_code == 302  # to the admin login
