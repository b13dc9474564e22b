import numpy as np
import pytest
import shapely
from shapely.geometry import box

from promzona.core import geometry as geo
from promzona.core.errors import GeometryError

pytestmark = pytest.mark.nodb


def square(lon=75.0, lat=46.86, d=0.001, close=True):
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]]
    if close:
        ring.append([lon, lat])
    return {"type": "Polygon", "coordinates": [ring]}


def test_self_intersection_is_refused_with_its_location():
    bowtie = {"type": "Polygon", "coordinates": [[[75.0, 46.8], [75.01, 46.81], [75.01, 46.8],
                                                  [75.0, 46.81], [75.0, 46.8]]]}
    with pytest.raises(GeometryError, match=r"self-intersection at 75\.0050 46\.8050"):
        geo.validate_polygon(bowtie)


def test_unclosed_ring_is_refused():
    with pytest.raises(GeometryError, match="ring not closed"):
        geo.validate_polygon(square(close=False))


@pytest.mark.parametrize("lon,lat", [(181, 46), (75, -91)])
def test_coordinates_out_of_range_are_refused(lon, lat):
    with pytest.raises(GeometryError, match="out of range"):
        geo.validate_polygon(square(lon, lat))


def test_projected_coordinates_labelled_wgs84_are_refused():
    with pytest.raises(GeometryError, match="projected"):
        geo.validate_polygon(square(500000, 5190000, d=100))


@pytest.mark.parametrize(
    "data",
    [None, {}, {"type": "Point", "coordinates": [75, 46]}, {"type": "Polygon", "coordinates": "x"},
     {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
     {"type": "Polygon", "coordinates": []}],
)
def test_malformed_geojson_is_refused_not_crashing(data):
    with pytest.raises(GeometryError):
        geo.validate_polygon(data)


def test_clockwise_exterior_is_reoriented_counter_clockwise():
    cw = {"type": "Polygon", "coordinates": [[[75, 46.8], [75, 46.81], [75.01, 46.81],
                                              [75.01, 46.8], [75, 46.8]]]}
    out = geo.validate_polygon(cw)
    assert out.exterior.is_ccw


def test_area_of_a_utm_square_is_exact_in_hectares():
    from pyproj import Transformer

    to_wgs = Transformer.from_crs(32643, 4326, always_xy=True)
    x0, y0 = 500_000, 5_190_000
    xs, ys = to_wgs.transform([x0, x0 + 200, x0 + 200, x0, x0], [y0, y0, y0 + 250, y0 + 250, y0])
    poly = shapely.Polygon(list(zip(xs, ys, strict=True)))
    # 200 m x 250 m = 5 ha; straight UTM edges are almost straight in lon/lat at this size.
    assert geo.area_ha(poly, epsg=32643) == pytest.approx(5.0, rel=1e-6)
    assert geo.utm_epsg(74.99, 46.85) == 32643


def test_area_mismatch_flags_over_five_percent_only():
    assert not geo.area_mismatch(10.0, 10.49)
    assert geo.area_mismatch(10.0, 10.51)
    assert geo.area_mismatch(10.0, 9.4)
    assert not geo.area_mismatch(None, 3.0)


def test_distance_between_points_a_known_span_apart():
    # One minute of latitude is about 1852 m (1855 m at 46.8 N on the ellipsoid).
    a, b = shapely.Point(75.0, 46.80), shapely.Point(75.0, 46.80 + 1 / 60)
    assert geo.distance_m(a, b) == pytest.approx(1853, abs=5)


def test_plot_measures_pick_the_closest_target_and_zero_when_touching():
    import numpy as np

    plot, inside = box(75.0, 46.80, 75.001, 46.801), box(75.0002, 46.8002, 75.0004, 46.8004)
    far, near = shapely.Point(75.0, 46.82), shapely.Point(75.0005, 46.802)
    shapes = np.array([plot, inside], dtype=object)
    m = geo.plot_measures(shapes, [None, 100.0], {"rail": [far, near], "road": [],
                                                  "town": [shapely.Point(75.0005, 46.8005)]},
                          geo.metric_epsg_for(plot))
    assert m[0].distances_m["rail"] == pytest.approx(geo.distance_m(plot, near), rel=1e-6)
    assert m[0].distances_m["rail"] < geo.distance_m(plot, far)
    assert m[0].distances_m["town"] == 0 and m[0].distances_m["road"] is None
    assert m[0].computed_area_ha == pytest.approx(geo.area_ha(plot))
    assert not m[0].area_mismatch and m[1].area_mismatch  # none declared; 100 ha declared


def test_zone_cover_tolerates_a_metre_of_survey_noise_not_ten():
    zone = box(75.0, 46.80, 75.01, 46.81)
    assert geo.zone_cover(zone).covers(box(75.0, 46.80, 75.01 + 5e-6, 46.805))
    assert not geo.zone_cover(zone).covers(box(75.0, 46.80, 75.01 + 1e-4, 46.805))


def _circle(n, lon=75.0, lat=46.86, r=0.001):
    import numpy as np

    ring = [[lon + r * np.cos(t), lat + r * np.sin(t)]
            for t in np.linspace(0, 2 * np.pi, n, endpoint=False)]
    return ring + [ring[0]]


@pytest.mark.parametrize("validate,make", [
    (geo.validate_polygon, lambda n: {"type": "Polygon", "coordinates": [_circle(n)]}),
    (geo.validate_polygon, lambda n: {"type": "MultiPolygon", "coordinates": [
        [_circle(n // 2)], [_circle(n - n // 2, lon=75.01)]]}),
    (geo.validate_line, lambda n: {"type": "LineString", "coordinates": _circle(n)[:-1]}),
    (lambda d: geo.prepare_polygon(shapely.geometry.shape(d)),
     lambda n: {"type": "Polygon", "coordinates": [_circle(n)]}),
], ids=["polygon", "multipolygon", "line", "imported-polygon"])
def test_geometries_over_the_vertex_limit_are_refused(validate, make):
    assert validate(make(geo.MAX_VERTICES - 2))
    with pytest.raises(GeometryError, match=f"at most {geo.MAX_VERTICES:,}"):
        validate(make(geo.MAX_VERTICES + 1))


def _outcome(item):
    """A prepared polygon as its exact coordinates, or a refusal as its reason."""
    if isinstance(item, GeometryError):
        return ("refused", str(item))
    return (item.geom_type, shapely.get_coordinates(item).tolist())


MIXED = [
    box(75.0, 46.8, 75.1, 46.9),  # plain, counter-clockwise after orienting
    shapely.Polygon([(75, 46), (75, 47), (76, 47), (76, 46)]),  # clockwise
    shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),  # bow tie: invalid
    shapely.Polygon([(500000, 5000000), (500100, 5000000), (500100, 5000100)]),  # projected
    shapely.Polygon([(179.5, 10), (181, 10), (181, 11)]),  # out of range
    shapely.Polygon([(75, 46, 1), (76, 46, 1), (76, 47, 1)]),  # 3D
    shapely.MultiPolygon([box(75, 46, 76, 47)]),  # one part
    shapely.MultiPolygon([box(75, 46, 75.1, 46.1), box(75.2, 46, 75.3, 46.1)]),
    box(75, 46, 76, 47).difference(box(75.4, 46.4, 75.6, 46.6)),  # with a hole
    shapely.Point(75, 46),
    shapely.Polygon(),
    None,
    "not a geometry",
    shapely.Polygon([(75, 46), (float("nan"), 46), (76, 47)]),
    shapely.Polygon([(75 + i * 1e-5, 46 + (i % 2) * 1e-5) for i in range(geo.MAX_VERTICES + 5)]),
]


@pytest.mark.parametrize("repair", [False, True])
def test_prepare_polygons_answers_as_prepare_polygon_does_row_by_row(repair):
    expected = []
    for g in MIXED:
        try:
            expected.append(_outcome(geo.prepare_polygon(g if isinstance(g, shapely.Geometry)
                                                         else None, repair=repair)))
        except GeometryError as exc:
            expected.append(_outcome(exc))
    got = [_outcome(x) for x in geo.prepare_polygons(MIXED, repair=repair)]
    assert got == expected
    assert got[1][0] == "Polygon" and got[2][0] == ("MultiPolygon" if repair else "refused")


def test_prepare_polygons_of_no_rows_is_empty():
    assert geo.prepare_polygons([]) == []


def test_geojson_many_equals_to_geojson_of_each():
    shapes = [g for g in geo.prepare_polygons(MIXED, repair=True)
              if not isinstance(g, GeometryError)]
    assert geo.geojson_many(shapes) == [geo.to_geojson(g) for g in shapes]
    assert {g["type"] for g in geo.geojson_many(shapes)} == {"Polygon", "MultiPolygon"}


def test_area_ha_of_many_equals_area_ha_of_each_across_utm_zones():
    shapes = [box(75.0, 46.8, 75.01, 46.81), box(-70.0, -33.5, -69.99, -33.49),
              box(2.0, 48.8, 2.01, 48.81)]
    many = np.array(shapes, dtype=object)
    assert geo.metric_epsg_for(many).tolist() == [geo.metric_epsg_for(s) for s in shapes] == [
        32643, 32719, 32631]
    assert geo.area_ha(many).tolist() == [geo.area_ha(s) for s in shapes]
    assert isinstance(geo.area_ha(shapes[0]), float)
    assert geo.area_ha(many, epsg=32643).tolist() == [geo.area_ha(s, epsg=32643) for s in shapes]
    assert geo.area_ha(many[:0]).tolist() == []


@pytest.mark.parametrize("lon, lat, epsg", [
    (-180.0, 0.0, 32601), (179.999, -0.001, 32760), (180.0, 10.0, 32660), (-0.001, 51.5, 32630),
    (0.0, 51.5, 32631), (73.1, 49.8, 32643)])
def test_utm_epsg_of_a_point_and_of_an_array_agree(lon, lat, epsg):
    assert geo.utm_epsg(lon, lat) == epsg and isinstance(geo.utm_epsg(lon, lat), int)
    assert geo.utm_epsg(np.array([lon, lon]), np.array([lat, lat])).tolist() == [epsg, epsg]


def test_area_mismatches_of_many_plots_agree_with_the_rule_for_one():
    declared = [10.0, 10.0, 10.0, None, 0.0, -1.0, 0.6]
    computed = [10.49, 10.51, 9.4, 3.0, 3.0, 3.0, 0.69]
    many = geo.area_mismatches(declared, computed).tolist()
    assert many == [False, True, True, False, False, False, True]
    assert many == [geo.area_mismatch(d, c) for d, c in zip(declared, computed, strict=True)]
