"""Extract gettext strings into the ru/kk/en catalogues and compile them, without msgfmt.

``make messages`` runs this. English is the source language: its catalogue maps each string to
itself (otherwise Django would fall back to the Russian default). Extraction uses Django's
makemessages (needs GNU gettext's xgettext, a developer tool only); compilation uses polib,
so the committed ``.mo`` files can be rebuilt anywhere. ``--compile-only`` skips extraction.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "promzona"
LANGS = ("ru", "kk", "en")


def extract() -> None:
    args = [sys.executable, "-m", "promzona", "makemessages", "--no-obsolete", "--no-location",
            "--ignore=*/migrations/*", "--ignore=sectors_data/*"]
    for lang in LANGS:
        args += ["-l", lang]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "promzona.settings"}
    subprocess.run(args, cwd=PACKAGE, check=True, env=env)


def compile_all() -> None:
    for po_path in sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        po.metadata_is_fuzzy = False
        po.metadata.update({"Project-Id-Version": "promzona", "Language": po_path.parts[-3]})
        for entry in po.fuzzy_entries():  # msgmerge's guesses are not translations
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            entry.msgstr = ""
            entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
        if po_path.parts[-3] == "en":  # the source language: English strings stand for themselves
            for entry in po:
                if not entry.msgstr and not entry.msgid_plural:
                    entry.msgstr = entry.msgid
                elif entry.msgid_plural and not any(entry.msgstr_plural.values()):
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        po.save()
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(PACKAGE)}: {po.percent_translated()}% translated")


if __name__ == "__main__":
    if "--compile-only" not in sys.argv:
        extract()
    compile_all()
