"""The passport PDF: laid out for its page (every field's value whole, no word split across
lines), with the map, the QR code, the contacts and the date; text from data printed literally
(reportlab's markup in a plot's or zone's fields is shown, never parsed: no server file
embedded, no 500)."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.utils import timezone, translation

from promzona.web.passport import contact_rows, passport_facts
from promzona.web.selectors import plot_utilities
from promzona.zones.models import Plot, Zone
from tests.payloads import PDF_MARKUP
from tests.pdfs import missing_whole, pdf_text

pytestmark = pytest.mark.django_db


def _expected(plot: Plot, lang: str) -> list[str]:
    """Every label and value the passport prints, as the page's language writes them."""
    with translation.override(lang):
        today = timezone.localdate()
        values = [v for f in passport_facts(plot) for v in (f.label, f.text)]
        values += [v for row in contact_rows(plot.zone) for v in row]
        for u in plot_utilities(plot, today=today):
            values += [u.kind_label, u.line_code, u.status_label,
                       u.source.name if u.source else "—"]
        values += [plot.zone.name, plot.name, plot.zone.incentives]
    return [str(v) for v in values]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
@pytest.mark.parametrize("code", ["BLK-01", "BLK-03", "BLK-21"])
def test_every_field_is_printed_whole_never_split_inside_a_word(demo, client, lang, code):
    plot = Plot.objects.get(code=code)
    r = client.get(f"/plots/balkhash/{code}/passport.pdf", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200
    assert missing_whole(r.content, _expected(plot, lang)) == []


def test_the_passport_has_its_map_qr_code_contacts_and_date(demo, client, today):
    from promzona import l10n

    r = client.get("/plots/balkhash/BLK-05/passport.pdf")
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    assert len(reader.pages[0].images) == 1  # the map (the QR code is drawn as vectors)
    assert reader.pages[0].images[0].image.size[0] > 1000
    text = pdf_text(r.content)
    with translation.override("en"):
        assert f"printed on {l10n.day(today)}" in text
    url = "http://testserver/en/plots/balkhash/BLK-05/"
    assert url in text
    for contact in ("invest@balkhash.example", "+7 000 000 00 00", "Balkhash (demo)",
                    "Department of Entrepreneurship and Industry (demo)"):
        assert contact in text
    assert "page 1" in text and "page 2" in text


def test_the_qr_code_holds_the_live_passport_address():
    from promzona.core.pdf_layout import qr_code

    drawing = qr_code("https://zone.example/plots/balkhash/BLK-05/", 60)
    assert drawing.contents[0].value == "https://zone.example/plots/balkhash/BLK-05/"
    assert (drawing.width, drawing.height) == (60, 60)


def test_the_demo_banner_has_its_own_room_above_the_map(demo, client):
    """The banner is a boxed cell in the flow (it used to be a paragraph whose padding ran over
    the subtitle): the subtitle and the banner read as separate, whole lines."""
    text = pdf_text(client.get("/plots/balkhash/BLK-01/passport.pdf").content)
    banner = "Demo: the figures are illustrative, not real data."
    assert banner in text and "Plot 1 · Balkhash small industrial zone" in text
    assert text.index("Plot 1 · Balkhash small industrial zone") < text.index(banner)


def test_markup_in_every_text_field_is_printed_literally(demo, client):
    plot = Plot.objects.get(code="BLK-11")
    fields = ["name_en", "existing_buildings_en", "description_en", "source_document_en",
              "verified_by_en"]
    Plot.objects.filter(pk=plot.pk).update(**dict(zip(fields, PDF_MARKUP, strict=False)))
    Zone.objects.filter(pk=plot.zone_id).update(incentives_en=PDF_MARKUP[5])
    r = client.get("/plots/balkhash/BLK-11/passport.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for payload in PDF_MARKUP:
        assert " ".join(payload.split()) in text, payload
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1 and images[0].image.size[0] > 1000  # only our map, no /etc/passwd



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
