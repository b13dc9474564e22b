"""The examples in ``core``'s docstrings are tests: every module's doctests run and pass."""

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import promzona.core

MODULES = sorted(m.name for m in pkgutil.walk_packages(promzona.core.__path__, "promzona.core."))


@pytest.mark.nodb
@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


@pytest.mark.nodb
def test_every_example_in_core_is_collected():
    """Guards the collection above: each ``>>>`` line in a core file is an example the run
    above executes (one in a nested function or in a module the walk misses would not be)."""
    finder = doctest.DocTestFinder()
    root = Path(promzona.core.__path__[0])
    missed = {}
    for path in sorted(root.rglob("*.py")):
        written = len(re.findall(r"^\s*>>> ", path.read_text(encoding="utf-8"), re.M))
        name = ".".join(("promzona", "core", *path.relative_to(root).with_suffix("").parts))
        name = name.removesuffix(".__init__")
        collected = sum(len(t.examples) for t in finder.find(importlib.import_module(name))) \
            if name in MODULES else 0
        if collected != written:
            missed[name] = (written, collected)
    assert not missed, f"examples written, collected: {missed}"
    assert len([m for m in MODULES if "." in m]) > 30  # the walk found the modules
