"""The product knows nothing of the demo: no Balkhash names or coordinates outside ``demo/``
(and the migrations and message catalogues, which record history and translations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import promzona

pytestmark = pytest.mark.nodb

ROOT = Path(promzona.__file__).parent
SKIPPED = {"demo", "migrations", "locale", "__pycache__"}
# The town's name in three languages, and the demo's latitudes (46.8x-46.9x N; the maps fell
# back to [46.85, 75]).
DEMO = re.compile(r"balkhash|балхаш|балқаш|\b46\.[89]\d*", re.IGNORECASE)
# The sector analysis studies the town of Balkhash on illustrative data shipped for it
# (sectors_data/ATTRIBUTION.md); it is demo content still living in the product, named here
# so that nothing else joins it.
SECTOR_ANALYSIS = {
    "core/sector_data.py", "sectors/selectors.py", "sectors/views.py",
    "sectors/reports.py", "sectors/management/commands/sectors.py",
    "sectors/templates/sectors/index.html", "sectors_data/ATTRIBUTION.md",
    "sectors_data/balkhash_employment.csv", "sectors_data/balkhash_smelter_purchases.csv",
    "sectors_data/names_ru_kk.csv",
}


def sources() -> list[tuple[str, str]]:
    """(path relative to the package, text) of every text file of the product."""
    out = []
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if not path.is_file() or SKIPPED & set(rel.parts):
            continue
        try:
            out.append((rel.as_posix(), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue  # binary (fonts, images, compiled catalogues, gzipped data)
    return out


def mentions() -> dict[str, list[str]]:
    """Files of the product with the lines that name the demo."""
    out = {}
    for rel, text in sources():
        lines = [line.strip() for line in text.splitlines() if DEMO.search(line)]
        if lines:
            out[rel] = lines
    return out


def test_product_code_names_no_demo_place_or_coordinates():
    found = {path: lines for path, lines in mentions().items() if path not in SECTOR_ANALYSIS}
    assert found == {}


def test_only_the_login_page_imports_the_demo():
    """The login page lists the demo's accounts when the demo is loaded; nothing else in the
    product reads the demo's modules (``settings`` installs the app)."""
    importers = {rel for rel, text in sources() if re.search(r"promzona\.demo\b|from \.+demo", text)}
    assert importers == {"settings.py", "web/views.py"}


def test_sector_analysis_exception_lists_only_files_that_need_it():
    assert set(mentions()) >= SECTOR_ANALYSIS, "drop the files that no longer name the demo"
