"""The names of the map's layers, one set for every interface: the JSON API and OGC API
collections, import, export, the CLI and the staff pages.

The CLI and the staff export once said ``sources`` and ``lines``; those names still work,
read as the layer they meant.
"""

from __future__ import annotations

from promzona.core.errors import InputError, gettext_noop
from promzona.core.geometry import LINEAR, POINT, POLYGONAL

LAYERS = ("plots", "utility-sources", "utility-lines", "zones")
#: The geometry types each layer holds: what an import accepts; the last (the collection of
#: the others) is the one type an export writes.
GEOMETRY = {"plots": POLYGONAL, "utility-sources": POINT, "utility-lines": LINEAR,
            "zones": POLYGONAL}
#: Earlier names (``promzona import --layer sources``, ``/staff/export/lines.gpkg``, stored
#: import jobs) and the layer each means now.
OLD_NAMES = {"sources": "utility-sources", "lines": "utility-lines"}


def layer_name(name: str) -> str:
    """The layer ``name`` stands for (an earlier name read as today's); :class:`InputError`
    for no layer.

    >>> layer_name("sources"), layer_name("plots")
    ('utility-sources', 'plots')
    """
    name = OLD_NAMES.get(name, name)
    if name not in LAYERS:
        raise InputError(gettext_noop("Unknown layer %(name)s; use one of %(layers)s."), field="layer",
                         params={"name": str(name)[:20], "layers": ", ".join(LAYERS)})
    return name
