"""The iCalendar feed at a secret, revocable URL, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client

from promzona.instructions import calendar, services

from .conftest import issue

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def feed(key):
    return Client().get(f"/en/instructions/calendar/{key}.ics")


def test_feed_has_one_all_day_event_per_open_deadline(people, bodies, today):
    mine = issue(people, bodies, title="Substation", deadline=today + 4 * DAY)
    done = issue(people, bodies, title="Closed one")
    services.instruction_report(actor=people["executor"], instruction=done, text="x")
    services.instruction_accept(actor=people["staff"], instruction=done)
    late = issue(people, bodies, title="Late one", issued_on=today - 5 * DAY, deadline=today - DAY)
    key = calendar.feed_create(actor=people["executor"])
    r = feed(key)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert f"instruction-{mine.pk}@promzona" in events
    assert f"instruction-{done.pk}@promzona" not in events
    event = events[f"instruction-{mine.pk}@promzona"]
    assert event.decoded("dtstart") == mine.deadline
    assert event.decoded("dtend") == mine.deadline + DAY
    assert "Substation" in str(event["summary"])
    assert str(events[f"instruction-{late.pk}@promzona"]["summary"]).startswith("OVERDUE")


def test_revoked_or_replaced_or_forged_key_is_404(people):
    key = calendar.feed_create(actor=people["executor"])
    assert feed(key).status_code == 200
    newer = calendar.feed_create(actor=people["executor"])
    assert feed(key).status_code == 404 and feed(newer).status_code == 200
    calendar.feed_revoke(actor=people["executor"])
    assert feed(newer).status_code == 404
    assert feed("forged").status_code == 404
    assert feed("x" * 500).status_code == 404


def test_a_deactivated_user_feed_is_404(people):
    key = calendar.feed_create(actor=people["executor"])
    people["executor"].is_active = False
    people["executor"].save()
    assert feed(key).status_code == 404


def test_investors_have_no_feed(people):
    from promzona.core.errors import Forbidden

    with pytest.raises(Forbidden):
        calendar.feed_create(actor=people["investor"])


def test_calendar_page_shows_the_address_once(client, people):
    client.force_login(people["executor"])
    r = client.post("/instructions/calendar/", {"action": "create"})
    assert b".ics" in r.content
    assert b".ics" not in client.get("/instructions/calendar/").content
    client.post("/instructions/calendar/", {"action": "revoke"})
    assert not people["executor"].instruction_feeds.filter(revoked_at__isnull=True).exists()
