"""Every mail carries absolute links built from ``PROMZONA_BASE_URL``: the guard of
``tests/conftest.py`` checks each mail any test queues; here the saved-search alert, and the
guard itself."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from promzona.matching.services import saved_search_create
from promzona.outbox.models import OutgoingEmail
from promzona.outbox.services import mail_enqueue
from promzona.zones.models import Plot
from promzona.zones.services import plot_set_status
from tests.mail import bad_links

BASE = "https://zona.example.kz"


def test_saved_search_alert_mail_links_to_the_base_url(demo, settings,
                                                      django_capture_on_commit_callbacks):
    settings.PROMZONA_BASE_URL = BASE
    user = get_user_model().objects.get(username="demo-investor")
    user.email = "investor@example.org"
    user.save()
    draft = Plot.objects.filter(status="draft").order_by("code").first()
    search = saved_search_create(actor=user, name="Any plot", request={
        "sector": draft.permitted_sectors.order_by("code").first().code})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # sent after the commit
        plot_set_status(actor=None, plot=draft, status="published")
    [message] = mail.outbox
    assert message.to == ["investor@example.org"] and draft.code in message.subject
    assert f"{BASE}/" in message.body and f"saved={search.pk}" in message.body
    assert bad_links(message.body, BASE) == []


@pytest.mark.parametrize(("body", "bad"), [
    ("See /plots/7/", ["/plots/7/"]),
    ('<a href="/match/?saved=1">open</a>', ["/match/?saved=1"]),
    ("http://testserver/plots/7/", ["http://testserver/plots/7/"]),
    ("//evil.example/x", ["//evil.example/x"]),
    (f"{BASE}/plots/7/ and 3 / 4 ha, 29/11", []),
])
def test_bad_links_finds_relative_and_foreign_links_only(body, bad):
    assert bad_links(body, BASE) == bad


def test_the_guard_refuses_a_mail_with_a_relative_link(db):
    with pytest.raises(AssertionError, match="/plots/7/"):
        mail_enqueue(to=["someone@example.org"], subject="A plot", body="Open /plots/7/")
    assert not OutgoingEmail.objects.exists()
