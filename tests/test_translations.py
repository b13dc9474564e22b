"""The catalogues are complete, compiled from their sources, and cover every marked string."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.nodb

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "promzona" / "locale"
LANGS = ["ru", "kk", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_is_translated(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_matches_its_po(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    for e in po.translated_entries():
        if not e.msgid_plural:
            key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
            assert mo._catalog.get(key) == e.msgstr, e.msgid


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang):
    import re

    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    for e in po.translated_entries():
        if not e.msgid_plural:
            assert sorted(pattern.findall(e.msgid)) == sorted(pattern.findall(e.msgstr)), e.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalogue_covers_every_marked_string(tmp_path):
    """Extract afresh into a copy of the package and compare msgids with the committed ru file.

    The copy is what is imported, so its LOCALE_PATHS (not the source tree's) receive the output.
    """
    pkg = tmp_path / "src" / "promzona"
    shutil.copytree(ROOT / "src" / "promzona", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--no-location",
         "--ignore=*/migrations/*", "--ignore=sectors_data/*"],
        cwd=pkg, check=True, capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "promzona.settings", "PATH": "/usr/bin:/bin",
             "PYTHONPATH": str(tmp_path / "src"), "PROMZONA_VAR_DIR": str(tmp_path / "var")},
    )
    fresh = {e.msgid for e in polib.pofile(str(pkg / "locale/ru/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "ru/LC_MESSAGES/django.po"))}
    assert sorted(fresh - committed) == []
