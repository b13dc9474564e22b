"""The offer PDF as a sink and as a cost: markup in data is printed literally; the same request
is answered from the cache; anonymous renders are limited per address (429)."""

from __future__ import annotations

import io

import pypdf
import pytest

from promzona.matching import offer
from promzona.zones.models import Plot, Zone
from tests.payloads import PDF_MARKUP

QUERY = {"sector": "C25", "area_min": "1", "area_max": "5", "power_kw": "500",
         "hazard_class": "4", "horizon_years": "10", "lang": "en"}


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def renders(monkeypatch):
    """Counts the real renderer's calls."""
    calls = []
    real = offer.offer_pdf_bytes

    def counting(*args, **kwargs):
        calls.append(kwargs.get("lang"))
        return real(*args, **kwargs)

    monkeypatch.setattr(offer, "offer_pdf_bytes", counting)
    return calls


def test_markup_in_plot_and_zone_text_is_printed_literally(demo, client):
    Plot.objects.filter(code="BLK-11").update(name_en=PDF_MARKUP[0])
    Zone.objects.filter(pk=demo.pk).update(
        management_company_en=PDF_MARKUP[1], contact_name_en=PDF_MARKUP[2],
        contact_address_en=PDF_MARKUP[3], incentives_en=PDF_MARKUP[4] + " " + PDF_MARKUP[5])
    r = client.get("/match/offer.pdf", QUERY)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for payload in PDF_MARKUP:
        assert " ".join(payload.split()) in text, payload


@pytest.mark.parametrize("code", ["A$x^2$", "$\\frac{1", "BLK_$$"])
def test_a_code_with_tex_is_drawn_as_text_on_the_map(demo, code):
    plot = Plot.objects.get(code="BLK-11")
    plot.code = code
    assert offer.plot_map_png(plot).startswith(b"\x89PNG")


def test_the_same_request_gives_the_same_bytes_without_rendering_again(demo, client, renders):
    first = client.get("/match/offer.pdf", QUERY)
    again = client.get("/match/offer.pdf", QUERY)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and len(renders) == 1
    assert client.get("/match/offer.pdf", {**QUERY, "lang": "ru"}).content != first.content
    assert client.get("/match/offer.pdf", {**QUERY, "power_kw": "400"}).status_code == 200
    assert len(renders) == 3


def test_a_change_of_the_data_renders_anew(demo, client, renders, staff_user):
    from promzona.zones.services import plot_set_status

    client.get("/match/offer.pdf", QUERY)
    plot_set_status(actor=staff_user, plot=Plot.objects.get(code="BLK-11"), status="withdrawn")
    r = client.get("/match/offer.pdf", QUERY)
    assert len(renders) == 2 and "BLK-11" not in pdf_text(r.content)


def test_anonymous_renders_are_limited_per_address_with_a_clear_429(demo, client, renders,
                                                                   settings):
    limit = 3
    settings.PROMZONA_OFFER_RATE = (limit, 600)
    for n in range(limit):
        assert client.get("/match/offer.pdf", {**QUERY, "power_kw": str(100 + n)}).status_code \
            == 200
    r = client.get("/match/offer.pdf", {**QUERY, "power_kw": "999"})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "Too many offers" in r.content.decode() and len(renders) == limit
    # A cached offer is still served; another address is not affected.
    assert client.get("/match/offer.pdf", {**QUERY, "power_kw": "100"}).status_code == 200
    other = client.get("/match/offer.pdf", {**QUERY, "power_kw": "999"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_logged_in_callers_are_not_limited(investor_client, renders, settings):
    settings.PROMZONA_OFFER_RATE = (1, 600)
    for n in range(3):
        r = investor_client.get("/match/offer.pdf", {**QUERY, "power_kw": str(100 + n)})
        assert r.status_code == 200
