"""Reading our PDFs back as text (pypdf), for the tests that check what a document says."""

from __future__ import annotations

import io

import pypdf


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace (no-break spaces and line ends included) as single
    spaces: a value that wrapped between words reads whole; one split inside a word does not."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def missing_whole(pdf: bytes, values) -> list[str]:
    """The ``values`` that do not appear whole in the PDF's text (each value's own whitespace
    read as single spaces too)."""
    text = pdf_text(pdf)
    return [v for v in values if v and " ".join(str(v).split()) not in text]
