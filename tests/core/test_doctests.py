"""The examples in ``core``'s docstrings are tests: every module's doctests run and pass."""

import doctest
import importlib
import pkgutil

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
def test_core_has_doctests_to_run():
    """Guards the collection above: the documented modules are among those run."""
    finder = doctest.DocTestFinder()
    with_examples = {name for name in MODULES
                     if any(t.examples for t in finder.find(importlib.import_module(name)))}
    assert {"promzona.core.geometry", "promzona.core.connections", "promzona.core.kz_bin",
            "promzona.core.utilities"} <= with_examples
