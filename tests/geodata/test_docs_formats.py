"""What the README and docs/geodata.md say export writes is what it writes."""

import re
from pathlib import Path

import pytest

from promzona.geodata.export import EXPORT_FORMATS

pytestmark = pytest.mark.nodb
REPO = Path(__file__).resolve().parents[2]
NAMES = {"GeoPackage": "gpkg", "GeoJSON": "geojson", "zipped Shapefile": "shp", "KML": "kml",
         "CSV": "csv"}


def test_readme_export_sentences_name_every_format_and_no_other():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    sentences = re.findall(r"export to ([^;|]+)", text)
    assert len(sentences) == 2  # the capability table and the command-line table
    for sentence in sentences:
        named = [n.strip() for n in re.split(r",| or ", sentence) if n.strip()]
        assert sorted(NAMES.get(n, n) for n in named) == sorted(EXPORT_FORMATS), sentence


def test_geodata_doc_lists_the_export_formats():
    text = (REPO / "docs" / "geodata.md").read_text(encoding="utf-8")
    section = text.split("## Export", 1)[1].split("Layers:", 1)[0]
    formats = re.sub(r"\([^)]*\)", "", section.split("Formats:", 1)[1])  # not the notes
    listed = re.findall(r"`(\w+)`", formats)
    assert sorted(listed) == sorted(EXPORT_FORMATS)
