"""The architecture stays visible: ``core`` is Django-free; migrations match the models."""

import ast
import pathlib
import subprocess
import sys

import pytest

CORE = pathlib.Path(__file__).parents[2] / "src" / "promzona" / "core"


@pytest.mark.nodb
def test_core_sources_never_import_django():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


@pytest.mark.nodb
def test_importing_core_does_not_load_django():
    code = (
        "import sys, pkgutil, importlib, promzona.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'promzona.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.django_db
def test_migrations_match_models():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


SRC = CORE.parent
MAX_LINES = 500


@pytest.mark.nodb
def test_no_module_over_500_lines():
    """A module that grows past 500 lines is split where it already divides."""
    long = sorted(f"{p.relative_to(SRC)}: {n}" for p in SRC.rglob("*.py")
                  if "migrations" not in p.parts
                  and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES)
    assert long == []
