"""The passport PDF prints text from data literally: reportlab's markup in a plot's or zone's
fields is shown, never parsed (no server file embedded, no 500)."""

from __future__ import annotations

import io

import pypdf
import pytest

from promzona.zones.models import Plot, Zone
from tests.payloads import PDF_MARKUP

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_markup_in_every_text_field_is_printed_literally(demo, client):
    plot = Plot.objects.get(code="BLK-11")
    fields = ["name_en", "existing_buildings", "description_en", "source_document",
              "verified_by"]
    Plot.objects.filter(pk=plot.pk).update(**dict(zip(fields, PDF_MARKUP, strict=False)))
    Zone.objects.filter(pk=plot.zone_id).update(incentives_en=PDF_MARKUP[5])
    r = client.get("/plots/balkhash/BLK-11/passport.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for payload in PDF_MARKUP:
        assert " ".join(payload.split()) in text, payload
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    assert not any("/XObject" in page["/Resources"] for page in reader.pages)  # no image



@pytest.mark.parametrize("code", ["<b>unclosed", "R&D-1", "<i>x", "&nbsp;1"])
def test_markup_in_the_plot_code_heading_is_printed_literally(demo, client, code):
    from urllib.parse import quote

    Plot.objects.filter(code="BLK-11").update(code=code)
    r = client.get(f"/plots/balkhash/{quote(code)}/passport.pdf")
    assert r.status_code == 200
    assert f"Plot passport {code}" in pdf_text(r.content)


def test_a_code_with_quotes_and_line_breaks_gives_a_safe_file_name(demo, client):
    from urllib.parse import quote

    code = 'A"B\r\nX-Evil: 1'
    Plot.objects.filter(code="BLK-11").update(code=code)
    r = client.get(f"/plots/balkhash/{quote(code)}/passport.pdf")
    assert r.status_code == 200 and not r.has_header("X-Evil")
    assert r["Content-Disposition"] == 'attachment; filename="passport-balkhash-A_B_X-Evil_ 1.pdf"'
