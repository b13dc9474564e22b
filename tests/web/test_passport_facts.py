"""One layout of the passport's facts: the page, the PDF and the comparison show the same."""

import io
import re

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from promzona.web.passport import passport_facts, provenance_facts
from promzona.web.selectors import compare_rows
from promzona.zones.models import Plot


def _plots(demo):
    return list(Plot.objects.filter(zone=demo, status="published").order_by("code")[:2])


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_page_pdf_and_comparison_show_every_fact_of_passport_facts(demo, client):
    plot, other = _plots(demo)
    today = timezone.localdate()
    facts = passport_facts(plot) + provenance_facts(plot, today=today)
    assert len(facts) == 20
    page = client.get(reverse("web:passport", args=[demo.slug, plot.code])).content.decode()
    pdf = client.get(reverse("web:passport_pdf", args=[demo.slug, plot.code])).content
    pdf_text = _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    compared = {label: values[0] for label, values, _ in compare_rows([plot, other], today=today)}
    for f in facts:
        assert f"<th>{f.label}</th><td>{f.value}" in page, f.label
        assert _words(f.label) in pdf_text and _words(f.value) in pdf_text, f.label
        assert compared[f.label] == f.text
