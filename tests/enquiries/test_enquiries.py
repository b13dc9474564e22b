"""Enquiries: anyone may write to a named contact of the zone; robots, floods and broken or
hostile input are refused and store nothing; the zone office reads them in its inbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from promzona.audit.models import AuditEntry
from promzona.enquiries import services
from promzona.enquiries.models import Contact, Enquiry
from promzona.outbox.models import OutgoingEmail
from promzona.web import antispam
from promzona.zones.models import Plot, Zone
from promzona.zones.services import feature_save

ADDRESS = "198.51.100.7"


@pytest.fixture
def contact(demo):
    return Contact.objects.get(zone=demo, email="investor@balkhash.example")


@pytest.fixture
def plot(demo):
    return Plot.objects.get(zone=demo, code="BLK-11")


def _token(seconds_ago=10):
    return services.form_token(now=timezone.now() - dt.timedelta(seconds=seconds_ago))


def _body(contact, **kw):
    body = {"to": f"c{contact.pk}", "name": "Hans Keller", "organisation": "Kupfer GmbH",
            "country": "DE", "email": "hans@kupfer.example", "phone": "+49 30 1234567",
            "message": "Can PS-2 give us 2 MW in 2027?", "token": _token(), "website": ""}
    body.update(kw)
    return body


def _post(client, body, address=ADDRESS, capture=None):
    if capture is None:
        return client.post("/enquiries/new/", body, REMOTE_ADDR=address)
    with capture(execute=True):
        return client.post("/enquiries/new/", body, REMOTE_ADDR=address)


def test_the_form_from_a_passport_is_addressed_to_the_zones_first_contact(client, contact, plot):
    r = client.get("/enquiries/new/", {"plot": plot.pk})
    page = r.content.decode()
    assert r.status_code == 200
    assert f'<option value="c{contact.pk}" selected>Aigerim Saparova (demo), Chief specialist' \
        in page
    assert f'name="plot" value="{plot.pk}"' in page and 'class="hp"' in page


def test_an_anonymous_enquiry_is_stored_audited_and_mailed_to_the_contact(
        client, contact, plot, django_capture_on_commit_callbacks):
    r = _post(client, _body(contact, plot=plot.pk), capture=django_capture_on_commit_callbacks)
    assert r.status_code == 200 and "has reached the zone office" in r.content.decode()
    e = Enquiry.objects.get()
    assert (e.zone_id, e.contact_id, e.plot_id, e.address) == (contact.zone_id, contact.pk,
                                                                plot.pk, ADDRESS)
    assert (e.country, e.status, e.user, e.language) == ("DE", "new", None, "en")
    entry = AuditEntry.objects.get(action="enquiry.received", object_id=str(e.pk))
    assert entry.after["plot"] == plot.pk and entry.actor is None
    [sent] = mail.outbox
    assert set(sent.to) == {"investor@balkhash.example", "invest@balkhash.example"}
    assert str(e.pk) in sent.subject and "Hans Keller" in sent.subject  # in the site's language
    assert sent.subject.endswith("BLK-11")
    assert "Can PS-2 give us 2 MW in 2027?" in sent.body
    # The link is on the site's address (PROMZONA_BASE_URL), never the request's Host.
    assert f"{settings.PROMZONA_BASE_URL}/enquiries/{e.pk}/" in sent.body


def test_a_logged_in_investor_can_write_too_and_is_recorded(investor_client, contact):
    assert _post(investor_client, _body(contact)).status_code == 200
    assert Enquiry.objects.get().user.username == "demo-investor"


@pytest.mark.parametrize("field,value,message", [
    ("website", "http://spam.example", "trap for robots"),
    ("token", "forged", "form has expired"),
    ("name", "", "This field is required"),
    ("name", "x" * 121, "at most 120 characters"),
    ("message", "", "This field is required"),
    ("message", "y" * 3001, "at most 3000 characters"),
    ("message", "   \n\t  ", "This field is required"),
    ("message", "see https://a.example https://b.example www.c.example", "at most two links"),
    ("email", "not-an-address", "valid email"),
    ("email", "a@b.example\nBcc: victim@example.com", "valid email"),
    ("country", "XX", "Select a valid choice"),
    ("to", "c999999", "Select a valid choice"),
    ("to", "zother", "Select a valid choice"),
    ("plot", "abc", "whole number"),
    ("phone", "1" * 41, "at most 40 characters"),
])
def test_broken_or_hostile_input_is_refused_and_stores_nothing(client, contact, field, value,
                                                                message):
    r = _post(client, _body(contact, **{field: value}))
    assert r.status_code == 400 and message in r.content.decode()
    assert not Enquiry.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_hidden_plot_or_one_of_another_zone_is_refused(client, contact, demo):
    draft = Plot.objects.filter(zone=demo, status="draft").first()
    assert _post(client, _body(contact, plot=draft.pk)).status_code == 400
    other = feature_save(actor=None, obj=Zone(
        slug="other", name_ru="Другая", kind="industrial_park", status="planned",
        municipality="x", geometry={"type": "Polygon", "coordinates": [
            [[76, 43], [76.01, 43], [76.01, 43.01], [76, 43.01], [76, 43]]]}))
    r = _post(client, _body(contact, to=f"z{other.slug}",
                            plot=Plot.objects.get(code="BLK-11").pk))
    assert r.status_code == 400 and "not in this zone" in r.content.decode()
    assert not Enquiry.objects.exists()


def test_a_form_sent_at_once_is_refused_with_a_fresh_token_to_send_again(client, contact):
    r = _post(client, _body(contact, token=_token(seconds_ago=0)))
    page = r.content.decode()
    assert r.status_code == 400 and "too fast for a person" in page
    fresh = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert fresh and "Hans Keller" in page  # what was typed is kept
    assert not Enquiry.objects.exists()


def test_a_token_of_another_form_is_refused(client, contact):
    token = antispam.form_token(purpose="article:1", now=timezone.now() - dt.timedelta(minutes=1))
    r = _post(client, _body(contact, token=token))
    assert r.status_code == 400 and "form has expired" in r.content.decode()


def test_markup_is_stored_as_text_and_shown_inert(client, staff_client, contact):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">\x07'
    assert _post(client, _body(contact, message=hostile, name="<b>Eve</b>")).status_code == 200
    e = Enquiry.objects.get()
    assert e.message == hostile.replace("\x07", "") and e.name == "<b>Eve</b>"
    page = staff_client.get(f"/enquiries/{e.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Eve</b>" not in page


def test_floods_from_one_address_or_one_email_wait_with_a_429(client, contact):
    for n in range(3):
        assert _post(client, _body(contact, email=f"p{n}@kupfer.example")).status_code == 200
    r = _post(client, _body(contact, email="p9@kupfer.example"))
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "wait" in r.content.decode() and Enquiry.objects.count() == 3
    # Another address may write; one email address is limited wherever it writes from.
    assert _post(client, _body(contact, email="same@kupfer.example"),
                 address="198.51.100.8").status_code == 200
    for n in range(4):
        _post(client, _body(contact, email="same@kupfer.example"), address=f"203.0.113.{n}")
    assert Enquiry.objects.filter(email="same@kupfer.example").count() == 5
    r = _post(client, _body(contact, email="SAME@kupfer.example"), address="203.0.113.99")
    assert r.status_code == 429
    assert Enquiry.objects.filter(email__iexact="same@kupfer.example").count() == 5


def test_an_enquiry_from_a_search_keeps_the_search_and_a_broken_one_is_dropped(client, contact):
    search = "sector=C25&area_max=5&power_kw=25000&hazard_class=4&horizon_years=10"
    assert _post(client, _body(contact, search=search)).status_code == 200
    e = Enquiry.objects.get()
    assert e.match_request["needs"] == {"power_kw": 25000.0} and e.match_request["sector"] == "C25"
    assert _post(client, _body(contact, search="sector=%00&power_kw=-1",
                               email="other@kupfer.example")).status_code == 200
    assert Enquiry.objects.get(email="other@kupfer.example").match_request is None


def _stored(contact, **kw):
    e = Enquiry(zone=contact.zone, contact=contact, name="Hans", email="hans@kupfer.example",
                message="Hello", language="en", address=ADDRESS)
    for k, v in kw.items():
        setattr(e, k, v)
    return services.enquiry_submit(actor=None, enquiry=e, token=_token(), honeypot="",
                                   now=timezone.now())


@pytest.mark.parametrize("role,status", [("anon", 302), ("investor", 403), ("executor", 403),
                                         ("manager", 200), ("staff", 200)])
def test_only_the_zone_office_and_managers_read_the_inbox(demo, contact, role, status):
    e = _stored(contact)
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role != "anon":
        assert c.login(username=f"demo-{role}", password="balkhash-demo-2026")
    assert c.get("/enquiries/").status_code == status
    assert c.get(f"/enquiries/{e.pk}/").status_code == status


def test_staff_mark_an_enquiry_answered_audited_managers_may_not(staff_client, contact):
    e = _stored(contact)
    manager_client = Client()
    manager_client.login(username="demo-manager", password="balkhash-demo-2026")
    assert manager_client.post(f"/enquiries/{e.pk}/answered/", {"note": "x"}).status_code == 403
    r = staff_client.post(f"/enquiries/{e.pk}/answered/", {"note": "Called back on Monday"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert (e.status, e.note, e.handled_by.username) == ("answered", "Called back on Monday",
                                                         "demo-staff")
    entry = AuditEntry.objects.get(action="enquiry.answered", object_id=str(e.pk))
    assert entry.before == {"status": "new"}
    assert staff_client.post(f"/enquiries/{e.pk}/bogus/").status_code == 404
    r = staff_client.post(f"/enquiries/{e.pk}/spam/", {"note": "n" * 2001})
    e.refresh_from_db()
    assert e.status == "answered"  # an oversized note changes nothing


def test_the_inbox_lists_newest_first_and_filters_by_status(staff_client, contact):
    first = _stored(contact, name="First")
    _stored(contact, name="Second", email="second@kupfer.example")
    page = staff_client.get("/enquiries/").content.decode()
    assert page.index("Second") < page.index("First") and "2 new enquiries" in page
    services.enquiry_mark(actor=_staff(), enquiry=first, status="spam", now=timezone.now())
    page = staff_client.get("/enquiries/", {"status": "new"}).content.decode()
    assert "Second" in page and "First" not in page
    assert staff_client.get("/enquiries/", {"status": "<x>"}).status_code == 200


def _staff():
    from promzona.accounts.models import User

    return User.objects.get(username="demo-staff")


def test_contacts_show_on_the_zone_page_and_passport_in_the_page_language(client, demo, plot):
    with override("kk"):
        page = Client().get(f"/kk/zones/{demo.slug}/").content.decode()
    assert "Әйгерім Сапарова (демо)" in page and "Инвесторлармен жұмыс" in page
    page = client.get(f"/plots/{demo.slug}/{plot.code}/").content.decode()
    assert "Aigerim Saparova (demo)" in page and "Айгерим" not in page
    contact = Contact.objects.get(zone=demo, position=1)
    assert f'href="/en/enquiries/new/?contact={contact.pk}&amp;plot={plot.pk}"' in page


def test_an_inactive_contact_is_neither_shown_nor_offered(client, demo, contact):
    contact.active = False
    feature_save(actor=None, obj=contact)
    assert "Aigerim" not in client.get(f"/zones/{demo.slug}/").content.decode()
    assert f'value="c{contact.pk}"' not in client.get("/enquiries/new/").content.decode()
    assert _post(client, _body(contact)).status_code == 400
