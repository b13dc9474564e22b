"""Saved searches alert once per new plot: on publication and from `promzona alerts`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from promzona.matching.models import Alerted, Notice
from promzona.matching.services import alerts_run, saved_search_create, triggers_alerts
from promzona.zones.models import Plot
from promzona.zones.services import plot_set_status


def _setup(demo):
    user = get_user_model().objects.get(username="demo-investor")
    user.email = "investor@example.org"
    user.save()
    draft = Plot.objects.filter(status="draft").order_by("code").first()
    sector = draft.permitted_sectors.order_by("code").first().code
    search = saved_search_create(actor=user, name="Any plot", request={"sector": sector})
    return user, draft, search


def test_publishing_a_plot_alerts_once_by_mail_and_notice(demo, django_capture_on_commit_callbacks):
    user, draft, search = _setup(demo)
    assert not Alerted.objects.filter(saved_search=search, plot=draft).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        plot_set_status(actor=None, plot=draft, status="published")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["investor@example.org"] and draft.code in mail.outbox[0].subject
    notice = Notice.objects.get(user=user)
    assert draft.code in notice.text and notice.url.endswith(f"?saved={search.pk}")
    # Never twice: another run, and the cron command, send nothing more.
    assert alerts_run() == 0
    out = io.StringIO()
    call_command("alerts", stdout=out)
    assert "0 alert(s) sent." in out.getvalue()
    assert len(mail.outbox) == 1 and Notice.objects.filter(user=user).count() == 1


def test_cron_command_finds_changes_made_outside_services(demo, django_capture_on_commit_callbacks):
    user, draft, search = _setup(demo)
    mail.outbox.clear()
    Plot.objects.filter(pk=draft.pk).update(status="published")  # no audit, no signal
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        call_command("alerts", stdout=out)
    assert "1 alert(s) sent." in out.getvalue() and len(mail.outbox) == 1
    assert Alerted.objects.filter(saved_search=search, plot=draft).exists()


def test_a_deactivated_account_gets_no_alert(demo):
    user, draft, search = _setup(demo)
    user.is_active = False
    user.save()
    mail.outbox.clear()
    Plot.objects.filter(pk=draft.pk).update(status="published")
    assert alerts_run() == 0 and mail.outbox == []
    assert not Notice.objects.filter(user=user).exists()


def test_notice_shown_on_match_page_and_marked_read(investor_client):
    user, draft, search = _setup(None)
    Plot.objects.filter(pk=draft.pk).update(status="published")
    alerts_run()
    page = investor_client.get("/match/").content.decode()
    assert draft.code in page
    investor_client.get(f"/match/?saved={search.pk}")
    assert not Notice.objects.filter(user=user, read=False).exists()


@pytest.mark.nodb
def test_triggers():
    assert triggers_alerts("plot.status.published", "zones.plot", None)
    assert triggers_alerts("capacity.released", "zones.utilitysource", None)
    assert triggers_alerts("utilityline.updated", "zones.utilityline", {"status": "existing"})
    assert not triggers_alerts("plot.status.reserved", "zones.plot", None)
    assert not triggers_alerts("utilityline.updated", "zones.utilityline", {"name": "x"})


def _count_runs(monkeypatch):
    from promzona.matching import services

    calls = []
    monkeypatch.setattr(services, "alerts_run", lambda **kw: calls.append(1) or 0)
    return calls


def test_one_alert_run_per_transaction(demo, django_capture_on_commit_callbacks, monkeypatch):
    from django.db import transaction

    _setup(demo)
    calls = _count_runs(monkeypatch)
    drafts = list(Plot.objects.filter(status="draft"))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for d in drafts:
            plot_set_status(actor=None, plot=d, status="published")
    assert len(drafts) >= 2 and calls == [1]


def test_line_completion_triggers_alerts(demo, django_capture_on_commit_callbacks, monkeypatch):
    from promzona.zones.models import UtilityLine
    from promzona.zones.services import feature_save

    _setup(demo)
    calls = _count_runs(monkeypatch)
    line = UtilityLine.objects.filter(status="under_construction").first()
    line.status = "existing"
    with django_capture_on_commit_callbacks(execute=True):
        feature_save(actor=None, obj=line)
    assert calls == [1]
