"""The offer PDF as a sink: markup in data is printed literally."""

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


def test_markup_in_plot_and_zone_text_is_printed_literally(demo, client):
    Plot.objects.filter(code="BLK-11").update(name_en=PDF_MARKUP[0])
    Zone.objects.filter(pk=demo.pk).update(
        management_company=PDF_MARKUP[1], contact_name=PDF_MARKUP[2],
        contact_address=PDF_MARKUP[3], incentives_en=PDF_MARKUP[4] + " " + PDF_MARKUP[5])
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
