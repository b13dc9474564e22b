"""One set of layer names; the earlier ``sources`` and ``lines`` still read."""

from __future__ import annotations

import pytest

from promzona.core.errors import InputError
from promzona.core.geodata.layers import GEOMETRY, LAYERS, OLD_NAMES, layer_name
from promzona.core.geodata.mapping import LAYER_FIELDS


def test_earlier_names_read_as_todays_layers():
    assert layer_name("sources") == "utility-sources"
    assert layer_name("lines") == "utility-lines"
    assert [layer_name(n) for n in LAYERS] == list(LAYERS)
    assert set(OLD_NAMES.values()) <= set(LAYERS)


@pytest.mark.parametrize("name", ["", "source", "utility_sources", "Plots", "x" * 10_000,
                                  "../plots"])
def test_unknown_layer_refused_naming_the_choices(name):
    with pytest.raises(InputError, match="use one of plots, utility-sources") as exc:
        layer_name(name)
    assert exc.value.field == "layer" and len(exc.value.message) < 200


def test_the_import_fields_are_kept_under_the_same_names():
    assert set(LAYER_FIELDS) == set(LAYERS)


def test_every_layer_names_its_geometry_and_exports_the_collection_of_it():
    assert set(GEOMETRY) == set(LAYERS)
    assert {layer: types[-1] for layer, types in GEOMETRY.items()} == {
        "plots": "MultiPolygon", "zones": "MultiPolygon", "utility-sources": "Point",
        "utility-lines": "MultiLineString"}
