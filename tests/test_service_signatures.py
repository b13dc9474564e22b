"""Every service says who acts with one type and takes the clock: ``actor: Actor`` (or a
``User`` where only a signed-in user may act), never ``Any`` or nothing; and every write
(``transaction.atomic``) that is not private takes its clock: ``now=``, or ``today=`` for the
demo loaders, which date what they load from the day."""

from __future__ import annotations

import ast
from pathlib import Path

import promzona

SRC = Path(promzona.__file__).parent
ACTOR_TYPES = {"Actor", "User", "User | None"}
CLOCKS = {"now", "today"}


def _functions():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or "core" in path.relative_to(SRC).parts[:1]:
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield path.relative_to(SRC), node


def test_every_actor_parameter_is_typed_as_actor():
    untyped = [f"{path}:{fn.lineno} {fn.name}: {ast.unparse(a.annotation) if a.annotation else '-'}"
               for path, fn in _functions() for a in fn.args.args + fn.args.kwonlyargs
               if a.arg == "actor" and (a.annotation is None or
                                        ast.unparse(a.annotation) not in ACTOR_TYPES)]
    assert not untyped, untyped


def test_every_public_write_takes_now():
    missing = [f"{path}:{fn.lineno} {fn.name}" for path, fn in _functions()
               if any("atomic" in ast.unparse(d) for d in fn.decorator_list)
               and not CLOCKS & {a.arg for a in fn.args.args + fn.args.kwonlyargs}]
    assert not missing, missing


def test_every_public_write_takes_keywords_only():
    positional = [f"{path}:{fn.lineno} {fn.name}" for path, fn in _functions()
                  if any("atomic" in ast.unparse(d) for d in fn.decorator_list)
                  and (fn.args.args or fn.args.posonlyargs or fn.args.vararg)]
    assert not positional, positional
