"""The project's documents stand on their own and say what the code is."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.nodb
REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: The repository's own folders (not the ones a checkout or a run makes: .venv, var, caches).
TOP_FOLDERS = {".ci", "benchmarks", "deploy", "docs", "scripts", "src", "tests"}


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def _layout() -> str:
    layout = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    return layout.split("```", 2)[1]


def test_contributing_layout_names_every_installed_app():
    apps = [a.split(".", 1)[1] for a in settings.INSTALLED_APPS if a.startswith("promzona.")]
    missing = [a for a in apps if not re.search(rf"^  {a}/ ", _layout(), flags=re.M)]
    assert not missing


def test_contributing_layout_names_every_folder_and_module_of_the_package_and_repo():
    package = REPO / "src" / "promzona"
    inner = [f"{p.name}/" for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    inner += [p.name for p in package.glob("*.py") if p.name != "__init__.py"]
    top = [f"{p.name}/" for p in REPO.iterdir() if p.is_dir() and p.name in TOP_FOLDERS]
    layout = _layout()
    missing = [n for n in inner if not re.search(rf"^  (\S+ )*{re.escape(n)}( |$)", layout, re.M)]
    missing += [n for n in top if not re.search(rf"^{re.escape(n)}", layout, re.M)]
    assert not missing


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_reach_a_file_and_heading(doc):
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # an outside address or mailto:
        path, _, anchor = target.partition("#")
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists() or (anchor and dest.suffix == ".md" and anchor not in _anchors(dest)):
            broken.append(target)
    assert not broken


def test_every_rule_home_in_the_architecture_exists():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    homes = [row.split(" | ")[1] for row in table.splitlines() if row.startswith("| **")]
    dotted = [n for home in homes for n in re.findall(r"`([a-z_]+(?:\.[a-z_]+)+)`", home)]
    assert len(dotted) >= 10
    missing = []
    for name in dotted:
        module, _, attr = name.rpartition(".")
        try:
            found = hasattr(importlib.import_module(f"promzona.{module}"), attr)
        except ImportError:
            found = importlib.util.find_spec(f"promzona.{name}") is not None
        if not found:
            missing.append(name)
    assert not missing


def test_no_file_cites_a_design_file_outside_the_repository():
    files = [f for folder in TOP_FOLDERS for f in (REPO / folder).rglob("*")
             if f.is_file() and f.suffix not in {".mo", ".gz", ".png", ".jpg", ".ttf", ".woff2"}]
    files += [f for f in REPO.iterdir() if f.is_file()]
    citing = [str(f.relative_to(REPO)) for f in files
              if re.search(r"DESIGN(\.md\b| §)", f.read_text(encoding="utf-8", errors="ignore"))]
    assert not citing


def test_readme_capability_modules_exist():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = [row for row in text.splitlines() if row.startswith("| **")]
    named = [m for row in table for m in re.findall(r"`([\w/.]+)`", row.split(" | ")[2])]
    assert len(table) >= 8 and len(named) >= len(table)
    package = REPO / "src" / "promzona"
    assert [m for m in named if not (package / m).exists()] == []
