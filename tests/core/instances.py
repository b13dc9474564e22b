"""A helper of the optimisers' tests: an instance with one value changed or removed."""

from __future__ import annotations

import copy
from typing import Any

REMOVE = object()


def changed(data: dict, path: tuple, value: Any) -> dict:
    """A deep copy of ``data`` with the value at ``path`` set to ``value`` (or removed)."""
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is REMOVE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out
