"""The offer PDF: a real PDF, Cyrillic text embedded, in each language; bad input refused."""

from __future__ import annotations

import io

import pypdf
import pytest

QUERY = {"sector": "C25", "area_min": "1", "area_max": "5", "power_kw": "500",
         "hazard_class": "4", "horizon_years": "10"}


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang, name", [("ru", "Участок №11"), ("kk", "№11 учаске"),
                                        ("en", "Plot 11")])
def test_offer_is_a_pdf_with_cyrillic_text_and_map(demo, client, lang, name):
    r = client.get("/match/offer.pdf", {**QUERY, "lang": lang})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    text = text_of(r.content)
    assert "BLK-11" in text and name in text
    address = {"ru": "г. Балхаш (демо)", "kk": "Балқаш қ. (демо)", "en": "Balkhash (demo)"}[lang]
    assert address in text  # the zone's address in the offer's language, embedded, extractable
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    page = reader.pages[0]
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts)
    assert page["/Resources"]["/XObject"], "the map picture is embedded"


def test_offer_english_headings(demo, client):
    text = text_of(client.get("/match/offer.pdf", {**QUERY, "lang": "en"}).content)
    assert "Cost of location over 10 years" in text and "valid until" in text
    assert "Contacts" in text and "invest@balkhash.example" in text


def test_offer_with_bad_request_is_400_on_our_page_with_labels(demo, client):
    r = client.get("/match/offer.pdf", {"sector": "??", "lang": "xx"})
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")
    page = r.content.decode()
    assert "Cannot show this" in page and "Sector (OKED):" in page and "__all__" not in page


def test_offer_from_saved_search(investor_client):
    from django.contrib.auth import get_user_model

    from promzona.matching.services import saved_search_create

    user = get_user_model().objects.get(username="demo-investor")
    s = saved_search_create(actor=user, name="s", request={"sector": "C25", "needs": {"power_kw": 500}})
    r = investor_client.get("/match/offer.pdf", {"saved": s.pk})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert investor_client.get("/match/offer.pdf", {"saved": "x"}).status_code == 400


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_value_of_the_offer_is_printed_whole(demo, client, lang):
    """No word split across lines: each plot's heading, every explanation and gap, and the
    zone's contacts read whole in the extracted text."""
    from django.utils import translation

    from promzona.matching.answer import answer_json
    from promzona.matching.forms import MatchForm
    from promzona.matching.selectors import match_for
    from tests.pdfs import missing_whole

    r = client.get("/match/offer.pdf", {**QUERY, "lang": lang})
    with translation.override(lang):
        form = MatchForm(QUERY)
        assert form.is_valid()
        answer = answer_json(match_for(None, form.match_request, today=demo_today()), limit=5)
        values = [line for res in answer["results"] for line in res["explanation"]]
        values += [g["text"] for res in answer["results"] for g in res["gaps"]]
        values += [demo.translated("contact_name"), demo.translated("management_company")]
    assert values and missing_whole(r.content, values) == []


def demo_today():
    from django.utils import timezone

    return timezone.localdate()


def test_offer_states_plot_facts_as_the_passport_does(demo, client):
    from promzona.web.passport import key_facts
    from promzona.zones.models import Plot

    text = " ".join(text_of(client.get("/match/offer.pdf", {**QUERY, "lang": "en"}).content).split())
    plot = Plot.objects.get(zone=demo, code="BLK-11")
    for fact in key_facts(plot):
        assert f"{fact.label} {fact.text}" in text
    assert f"{plot.hazard_class_max} (classes {plot.hazard_class_max}–5)" in text
