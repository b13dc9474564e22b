"""The catalogues follow docs/glossary.md: one term per concept, no ruled-out variant, status
words translated per model (a message context each)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "promzona" / "locale"
GLOSSARY = ROOT / "docs" / "glossary.md"


def rules() -> list[dict[str, str]]:
    """The rows of the glossary's "Rules the catalogues follow" table (patterns unquoted; a
    ``\\|`` in a cell is a ``|`` of the pattern)."""
    text = GLOSSARY.read_text(encoding="utf-8").split("## Rules the catalogues follow", 1)[1]
    rows = [line for line in text.splitlines() if line.startswith("|")][2:]
    keys = ["en", "ru", "kk", "not_ru", "not_kk"]
    cells = (re.split(r"(?<!\\)\|", row.strip()[1:-1]) for row in rows)
    return [dict(zip(keys, (c.strip().strip("`").replace("\\|", "|") for c in row), strict=True))
            for row in cells]


def catalogue(lang: str) -> list[tuple[str, str]]:
    """(English, translation) of every entry; plural forms each."""
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    out = []
    for e in po:
        if e.obsolete:
            continue
        strs = [e.msgstr] if not e.msgid_plural else list(e.msgstr_plural.values())
        out += [(e.msgid, s) for s in strs]
    return out


def violations(entries, lang: str, table) -> list[str]:
    found = []
    for rule in table:
        en, uses, banned = rule["en"], rule[lang], rule[f"not_{lang}"]
        for msgid, text in entries:
            if banned and re.search(banned, text, re.I):
                found.append(f"{banned!r} in {text!r}")
            if en and uses and re.search(en, msgid, re.I) and not re.search(uses, text, re.I):
                found.append(f"{msgid!r} must use {uses!r}: {text!r}")
    return found


pytestmark = pytest.mark.nodb


def test_the_glossary_has_rules_for_each_concept_it_names():
    table = rules()
    assert {r["en"] for r in table} >= {"reserv(?!e land)", "rail spur", "preferred plot", "^zone$"}
    assert any(r["not_kk"] == r"%\(\w+\)s орын" for r in table)  # ordinals take a hyphen


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_translations_use_one_term_per_concept(lang):
    assert violations(catalogue(lang), lang, rules()) == []


@pytest.mark.parametrize("entries,lang,broken", [
    ([("Reserve plot", "Забронировать участок")], "ru", "брон"),
    ([("Reservations", "Брондаулар")], "kk", "брон"),
    ([("Rail spur", "Ж/д тупик")], "ru", "тупик"),
    ([("Preferred plots", "Таңдаулы учаскелер")], "kk", "таңдаулы"),
    ([("Source", "Көз")], "kk", "көз"),
    ([("Its ECI ranks %(r)s", "%(r)s орында")], "kk", "орын"),
    ([("score = 0.5·z", "балл = 0.5·z")], "kk", "0.5"),
    ([("Zone", "Промышленная зона")], "ru", "^зона$"),
    ([("Only zone office staff", "Только сотрудники офиса зоны")], "ru", "администраци"),
    ([("Valid until %(date)s.", "Действует до %(date)s.")], "ru", "date"),
])
def test_the_rules_catch_the_variants_they_rule_out(entries, lang, broken):
    found = violations(entries, lang, rules())
    assert found and broken in " ".join(found)


def test_the_rules_let_the_right_terms_pass():
    good = {"ru": [("Reserve plot", "Зарезервировать участок"), ("Rail spur", "Подъездной ж/д путь"),
                   ("Zone", "Зона"), ("Reserve land", "Земли запаса"), ("v 2.0.0", "в. 2.0.0")],
            "kk": [("Source", "Ресурс көзі"), ("Funding source", "Қаржыландыру көзі"),
                   ("Source: data", "Дереккөз: деректер"), ("ranks %(r)s", "%(r)s-орында"),
                   ("Preferred plots", "Қалаулы учаскелер"), ("score = 0.5", "балл = 0,5")]}
    for lang, entries in good.items():
        assert violations(entries, lang, rules()) == []


def test_status_words_are_translated_per_model():
    """Every model's Status choices carry the context "<model> status" in the catalogue, so
    "Withdrawn" can read «Отозвана» for an application and «Снят с предложения» for a plot."""
    from django.apps import apps
    from django.utils import translation

    po = polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / "django.po"))
    contexted = {(e.msgctxt, e.msgid) for e in po}
    missing = []
    with translation.override(None):
        for model in apps.get_models():
            status = getattr(model, "Status", None)
            if not model.__module__.startswith("promzona") or status is None:
                continue
            context = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower() + " status"
            missing += [(context, str(label)) for label in status.labels
                        if (context, str(label)) not in contexted]
    assert missing == []
    ru = {(e.msgctxt, e.msgid): e.msgstr for e in po}
    assert ru[("application status", "Withdrawn")] != ru[("plot status", "Withdrawn")]
