"""Strict readers for the optimisers' JSON instances: every refusal names the culprit.

Each reader takes the value and ``where`` (a path such as ``applications[2] (A3).needs``) and
returns the clean value or raises :class:`~promzona.core.errors.InputError` with that path in
the message and in ``details``.

>>> number(2, "budget[0]")
2.0
>>> number(-1, "budget[0]")
Traceback (most recent call last):
...
promzona.core.errors.InputError: budget[0]: must be a number from 0 to 1e+12, got -1
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from promzona.core.errors import InputError

#: Beyond any cost, value or capacity a zone has; keeps the solver's numbers well scaled.
MAX_NUMBER = 1e12
MAX_ID_LENGTH = 100
#: Refused before parsing: a larger instance is not a zone's (the benchmark's is ~2 MB).
MAX_INPUT_BYTES = 64 * 1024 * 1024


def fail(where: str, problem: str, **details: Any) -> InputError:
    return InputError(f"{where}: {problem}", details={"where": where, **details})


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def number(value: Any, where: str, *, minimum: float = 0.0, maximum: float = MAX_NUMBER,
           above_minimum: bool = False) -> float:
    """A finite JSON number in [minimum, maximum] (or (minimum, maximum]); booleans refused."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ok:
        value_f = float(value) if abs(value) < 1e300 else math.inf
        ok = math.isfinite(value_f) and minimum <= value_f <= maximum
        ok = ok and not (above_minimum and value_f == minimum)
    if not ok:
        low = f"above {minimum:g}" if above_minimum else f"from {minimum:g}"
        raise fail(where, f"must be a number {low} to {maximum:g}, got {_show(value)}")
    return value_f


def whole(value: Any, where: str, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise fail(where, f"must be a whole number from {minimum} to {maximum}, got {_show(value)}")
    return value


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise fail(where, f"must be true or false, got {_show(value)}")
    return value


def identifier(value: Any, where: str) -> str:
    """An id: a non-empty string of at most 100 printable characters."""
    if not (isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH and value.isprintable()
            and value.strip() == value):
        raise fail(where, f"must be a non-empty string of at most {MAX_ID_LENGTH} printable "
                          f"characters without surrounding spaces, got {_show(value)}")
    return value


def mapping(value: Any, where: str, *, required: Iterable[str] = (),
            optional: Iterable[str] = ()) -> dict[str, Any]:
    """An object with all ``required`` keys and no key outside ``required`` and ``optional``."""
    if not isinstance(value, dict):
        raise fail(where, f"must be an object, got {_show(value)}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise fail(where, f"unknown key {_show(unknown[0])}; expected {', '.join(sorted(allowed))}",
                   key=unknown[0])
    missing = [k for k in required if k not in value]
    if missing:
        raise fail(where, f"missing key {_show(missing[0])}", key=missing[0])
    return value


def items(value: Any, where: str, *, maximum: int) -> list[Any]:
    if not isinstance(value, list):
        raise fail(where, f"must be a list, got {_show(value)}")
    if len(value) > maximum:
        raise fail(where, f"has {len(value)} entries; at most {maximum} are accepted")
    return value


def unique_ids(entries: list[dict[str, Any]], where: str) -> dict[str, int]:
    """``{id: position}`` of ``entries`` (each an object with an ``id``), refusing repeats."""
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        key = identifier(entry.get("id"), f"{where}[{i}].id")
        if key in seen:
            raise fail(f"{where}[{i}].id", f"{_show(key)} is repeated (also {where}[{seen[key]}])",
                       id=key)
        seen[key] = i
    return seen


def references(value: Any, where: str, known: dict[str, Any] | set[str], what: str, *,
               maximum: int) -> tuple[str, ...]:
    """A list of ids of ``what`` that all exist in ``known``, without repeats."""
    out = []
    for i, ref in enumerate(items(value, where, maximum=maximum)):
        ref = identifier(ref, f"{where}[{i}]")
        if ref not in known:
            raise fail(where, f"unknown {what} {_show(ref)}", id=ref)
        if ref in out:
            raise fail(where, f"{what} {_show(ref)} is listed twice", id=ref)
        out.append(ref)
    return tuple(out)


def label(where: str, i: int, entry: Any) -> str:
    """``applications[2] (A3)``: the position and, when readable, the id."""
    key = entry.get("id") if isinstance(entry, dict) else None
    return f"{where}[{i}] ({key})" if isinstance(key, str) and len(key) <= MAX_ID_LENGTH \
        else f"{where}[{i}]"


def _refuse_constant(name: str) -> Any:
    raise InputError(f"not JSON: {name} is not a number JSON allows", details={"where": "$"})


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"not accepted: the key {_show(key)} appears twice in one object",
                             details={"where": "$", "key": key})
        out[key] = value
    return out


def load_json(data: bytes) -> Any:
    """Parse an instance file: UTF-8 JSON of at most :data:`MAX_INPUT_BYTES`, without NaN,
    Infinity or a key repeated in one object (which JSON parsers resolve differently)."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"the instance is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB",
                         details={"where": "$"})
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=_refuse_constant,
                          object_pairs_hook=_no_repeated_keys)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}",
                         details={"where": "$"}) from None
    except RecursionError:
        raise InputError("not accepted: the JSON is nested too deeply",
                         details={"where": "$"}) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         details={"where": "$"}) from None
