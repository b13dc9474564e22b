import os

import pytest


@pytest.fixture(autouse=True)
def _fresh_page_cache(fresh_caches):
    """Page bodies are cached across requests; a test starts without another test's pages."""


#: A search that finds nothing in the demo: its page shows the near misses and the enquiry form.
NO_RESULTS = "sector=C25&area_max=5&power_kw=30000&hazard_class=4&horizon_years=10"
#: A search with results.
MATCH = ("sector=C25&area_min=1&area_max=5&power_kw=500&water_m3_day=20&sewage_m3_day=10"
         "&hazard_class=4&horizon_years=10")


@pytest.fixture
def full_demo(transactional_db):
    """Everything a page can show, for the browser tests that walk the portal: the demo as
    ``promzona demo`` loads it (competing applications, works and projects, the month-end
    snapshots the dashboard's trend charts read) and enquiries in the staff inbox (one
    answered, one about a plot from a search that found nothing). Loaded before Playwright
    starts its event loop."""
    import datetime as dt

    from django.core.cache import cache
    from django.core.management import call_command
    from django.http import QueryDict
    from django.test.utils import override_settings
    from django.utils import timezone

    from promzona.accounts.models import User
    from promzona.enquiries import services
    from promzona.enquiries.models import Contact, Enquiry
    from promzona.matching.forms import MatchForm
    from promzona.zones.models import Plot, Zone

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    zone = Zone.objects.get(slug="balkhash")
    contact = Contact.objects.filter(zone=zone).order_by("position").first()
    search = MatchForm(QueryDict(NO_RESULTS))
    assert search.is_valid(), search.errors
    now = timezone.now()
    sent = []
    for i, (to, plot, query, who) in enumerate([
            (contact, Plot.objects.get(zone=zone, code="BLK-11"), None,
             ("Hans Keller (demo)", "Kupfer GmbH", "DE", "hans@kupfer.example")),
            (None, None, search.request_json(),
             ("Li Wei (demo)", "Jade Ceramics", "CN", "li.wei@jade.example"))]):
        at = now - dt.timedelta(days=2 - i)
        sent.append(services.enquiry_submit(
            actor=None, token=services.form_token(now=at - dt.timedelta(minutes=5)), honeypot="",
            now=at, enquiry=Enquiry(
                zone=zone, contact=to, plot=plot, match_request=query, name=who[0],
                organisation=who[1], country=who[2], email=who[3], phone="+49 30 1234567",
                message="Illustrative enquiry of the tests: can PS-2 give us 2 MW in 2027?",
                language="en", address=f"198.51.100.{i + 1}")))
    services.enquiry_mark(actor=User.objects.get(username="demo-staff"), enquiry=sent[0],
                          status=Enquiry.Status.ANSWERED, note="Called back.", now=now)
    cache.clear()
    return zone
