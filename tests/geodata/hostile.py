"""Hostile import files, by class: each builder writes one into a folder and returns a
:class:`Payload`. ``Bait`` names what must never leak or be reached: a secret file, a SQLite
database holding a secret, and a canary URL that records every request made to it."""

# ruff: noqa: S608 - the SQL in these files is the attack, written on purpose

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import struct
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import openpyxl
import pyogrio.raw
import shapely

SECRET = "SECRET-7f3a9c"
BOX = "POLYGON ((75.0 46.8, 75.001 46.8, 75.001 46.801, 75.0 46.801, 75.0 46.8))"


@dataclass
class Payload:
    path: Path
    crs: str | None = None  # to name for a table without one
    layer: str | None = None  # the layer of the file to read


@dataclass
class Bait:
    secret_csv: Path  # a CSV file whose one value is SECRET
    secret_db: Path  # a SQLite database with a django_session-like table holding SECRET
    canary: str  # http://127.0.0.1:PORT, records the paths requested


@dataclass
class Canary:
    url: str
    hits: list[str] = field(default_factory=list)


@contextlib.contextmanager
def canary_server() -> Iterator[Canary]:
    """An HTTP server on a free local port that records every request it gets."""
    canary = Canary("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            canary.hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'GEOGCS["WGS 84"]')

        do_HEAD = do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    canary.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        server.shutdown()
        server.server_close()


def child_processes() -> list[int]:
    """Processes whose parent is this one (a reader left running would be one)."""
    me, found = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[1] == me:
            found.append(int(pid))
    return found


def bait(folder: Path, canary: str) -> Bait:
    secret_csv = folder / "secret.csv"
    secret_csv.write_text(f"token\n{SECRET}\n")
    db = folder / "site.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE django_session (session_key TEXT, session_data TEXT)")
    con.execute("INSERT INTO django_session VALUES (?, 'x')", (SECRET,))
    con.commit()
    con.close()
    return Bait(secret_csv, db, canary)


def _vrt(source: str, sql: str) -> str:
    """An OGR VRT whose one layer has a plot code and geometry taken from ``source``."""
    return ('<OGRVRTDataSource><OGRVRTLayer name="plots">'
            f"<SrcDataSource>{source}</SrcDataSource><SrcSQL>{sql}</SrcSQL>"
            '<GeometryType>wkbPolygon</GeometryType><LayerSRS>EPSG:4326</LayerSRS>'
            '<GeometryField encoding="WKT" field="wkt"/></OGRVRTLayer></OGRVRTDataSource>')


def _secret_vrt(b: Bait) -> str:
    return _vrt(f"CSV:{b.secret_csv}", f"SELECT token AS code, '{BOX}' AS wkt FROM secret")


def _db_vrt(b: Bait) -> str:
    return _vrt(str(b.secret_db), f"SELECT session_key AS code, '{BOX}' AS wkt FROM django_session")


def _zip(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _gdalg(source: str, sql: str = "") -> str:
    """A GDALG pipeline reading ``source``, through a SQLite-dialect ``sql`` when given."""
    step = f'sql --dialect SQLite --sql "{sql}" ! ' if sql else ""
    return json.dumps({"type": "gdal_streamed_alg", "command_line":
                       f"gdal vector pipeline ! read {source} ! {step}"
                       "write --of stream streamed_dataset"})


def _leak_sql(column: str, table: str) -> str:
    return f"SELECT {column} AS code, ST_GeomFromText('{BOX}', 4326) AS geom FROM {table}"


def _write(path: Path, geoms, fields: dict[str, list], *, driver: str, **kw) -> Path:
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array(geoms, dtype=object)),
                      [np.array(v, dtype=object) for v in fields.values()], list(fields),
                      driver=driver, crs="EPSG:4326", **kw)
    return path


def _gpkg(path: Path, *views: tuple[str, str, str]) -> Path:
    """A GeoPackage of one polygon (layer ``plots``) with ``(name, geometry type, SELECT)``
    views registered as further layers."""
    _write(path, [shapely.from_wkt(BOX)], {"code": ["OK-1"]}, driver="GPKG", layer="plots",
           geometry_type="Polygon")
    con = sqlite3.connect(path)
    for name, gtype, select in views:
        con.execute(f"CREATE VIEW {name} AS {select}")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES (?, 'features', ?, 4326)", (name, name))
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)",
                    (name, gtype))
    con.commit()
    con.close()
    return path


LOOP = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"


def _lying_zip(path: Path, name: str, data: bytes, *, size=None, crc=None, method=None,
               flags=None) -> Path:
    """A ZIP whose local and central headers say ``size``/``crc``/``method``/``flags``
    instead of the truth."""
    _zip(path, {name: data})
    raw = bytearray(path.read_bytes())
    for sig, off_crc, off_size, off_method, off_flags in ((b"PK\x03\x04", 14, 22, 8, 6),
                                                          (b"PK\x01\x02", 16, 24, 10, 8)):
        at = raw.index(sig)
        if crc is not None:
            raw[at + off_crc:at + off_crc + 4] = struct.pack("<I", crc)
        if size is not None:
            raw[at + off_size:at + off_size + 4] = struct.pack("<I", size)
        if method is not None:
            raw[at + off_method:at + off_method + 2] = struct.pack("<H", method)
        if flags is not None:
            raw[at + off_flags:at + off_flags + 2] = struct.pack("<H", flags)
    path.write_bytes(bytes(raw))
    return path


def _geojson_polygon(n: int) -> str:
    ring = [[75 + 0.001 * np.cos(t), 46.8 + 0.001 * np.sin(t)]
            for t in np.linspace(0, 2 * np.pi, n, endpoint=False)]
    ring.append(ring[0])
    return json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": "HUGE-1"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]})


def _points(n: int) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f"P-{i}"},
         "geometry": {"type": "Point", "coordinates": [75 + i * 1e-6, 46.8]}} for i in range(n)]})


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["wkt", "code"])
    wb.active.append([BOX, "X-1"])
    wb.save(path)
    return path


Builder = Callable[[Path, Bait], Payload]


def _text(name: str, make: Callable[[Bait], str], crs: str | None = None) -> Builder:
    def build(folder: Path, b: Bait) -> Payload:
        path = folder / name
        path.write_text(make(b), encoding="utf-8")
        return Payload(path, crs)
    return build


def _file(make: Callable[[Path, Bait], Path], crs: str | None = None,
          layer: str | None = None) -> Builder:
    return lambda folder, b: Payload(make(folder, b), crs, layer)


XML = '<?xml version="1.0"?>'
RANDOM = random.Random(11)
NOISE = bytes(RANDOM.randrange(256) for _ in range(20_000))

#: The secret-reading class: an OGR VRT or a GDALG pipeline in every text format accepted.
FOREIGN_FORMATS: dict[str, Builder] = {
    "vrt-as-csv": _text("survey.csv", _secret_vrt),
    "vrt-as-kml": _text("survey.kml", lambda b: XML + _secret_vrt(b)),
    "vrt-as-geojson": _text("survey.geojson", lambda b: "{" + _secret_vrt(b)),
    "vrt-as-json": _text("survey.json", lambda b: "{" + _db_vrt(b)),
    "vrt-database-as-csv": _text("sessions.csv", _db_vrt),
    "vrt-in-zip": _file(lambda f, b: _zip(f / "survey.zip", {"plots.csv": _secret_vrt(b)})),
    "vrt-in-kmz": _file(lambda f, b: _zip(f / "survey.kmz", {"doc.kml": XML + _secret_vrt(b)})),
    "gdalg-as-geojson": _text("survey.geojson", lambda b: _gdalg(
        str(b.secret_csv), _leak_sql("token", "secret"))),
    "gdalg-as-json": _text("survey.json", lambda b: _gdalg(
        str(b.secret_db), _leak_sql("session_key", "django_session")), crs="EPSG:4326"),
}

#: The network class: paths and links to the canary inside files.
NETWORK: dict[str, Builder] = {
    "vrt-vsicurl": _text("survey.csv", lambda b: _vrt(
        f"/vsicurl/{b.canary}/vrt.csv", f"SELECT 'X' AS code, '{BOX}' AS wkt FROM vrt")),
    "vrt-vsicurl-streaming": _text("survey.kml", lambda b: XML + _vrt(
        f"/vsicurl_streaming/{b.canary}/s.csv", "SELECT * FROM s")),
    "vrt-http-geojson": _text("survey.geojson", lambda b: "{" + _vrt(
        f"{b.canary}/plain.geojson", "SELECT * FROM plain")),
    "gdalg-vsicurl": _text("survey.json", lambda b: _gdalg(f"/vsicurl/{b.canary}/gdalg.csv")),
    "geojson-crs-link": _text("survey.geojson", lambda b: json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "link", "properties": {"href": f"{b.canary}/crs", "type": "ogcwkt"}},
        "features": [{"type": "Feature", "properties": {"code": "NET-1"},
                      "geometry": json.loads(json.dumps(shapely.from_wkt(BOX).__geo_interface__))}],
    })),
    "geojson-crs-name-url": _text("survey.geojson", lambda b: json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": f"{b.canary}/n"}},
        "features": [{"type": "Feature", "properties": {"code": "NET-2"},
                      "geometry": {"type": "Point", "coordinates": [75, 46.8]}}]})),
    "kml-network-link": _text("survey.kml", lambda b: (
        f'{XML}<kml xmlns="http://www.opengis.net/kml/2.2"><Document><NetworkLink><Link>'
        f"<href>{b.canary}/link.kml</href></Link></NetworkLink><Placemark><name>NET-3</name>"
        "<Point><coordinates>75,46.8</coordinates></Point></Placemark></Document></kml>")),
    "gpkg-view-calls-out": _file(lambda f, b: _gpkg(f / "survey.gpkg", (
        "fetch", "POLYGON",
        f"SELECT fid, geom, ImportWFS('{b.canary}/wfs', 'x', 'y') AS code FROM plots")),
        layer="fetch"),
}

#: GeoPackages whose views never end or eat memory: reading them hits a limit.
RUNAWAY: dict[str, Builder] = {
    "gpkg-endless-aggregate": _file(lambda f, b: _gpkg(f / "loop.gpkg", (
        "loop", "GEOMETRY", f"SELECT fid, geom, ({LOOP} SELECT max(i) FROM r) AS code FROM plots")),
        layer="loop"),
    "gpkg-endless-rows": _file(lambda f, b: _gpkg(f / "rows.gpkg", (
        "rows", "POLYGON", f"{LOOP} SELECT i AS fid, (SELECT geom FROM plots) AS geom, i AS code "
                           "FROM r")), layer="rows"),
    "gpkg-doubling-string": _file(lambda f, b: _gpkg(f / "grow.gpkg", (
        "grow", "GEOMETRY",
        "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s || s FROM r) "
        "SELECT 1 AS fid, (SELECT geom FROM plots) AS geom, (SELECT max(length(s)) FROM r) "
        "AS code")), layer="grow"),
}

#: Sizes beyond the documented limits (the tests lower the limits to keep files small).
OVERSIZED: dict[str, Builder] = {
    "polygon-over-vertex-limit": _text("big.geojson", lambda b: _geojson_polygon(2_000)),
    "wkt-over-vertex-limit": _text("big.csv", lambda b: "wkt,code\n\"POLYGON ((" + ", ".join(
        f"{75 + 0.001 * np.cos(t):.6f} {46.8 + 0.001 * np.sin(t):.6f}"
        for t in [*np.linspace(0, 2 * np.pi, 2_000, endpoint=False), 0.0]) + "))\",BIG-1\n",
        crs="EPSG:4326"),
    "too-many-features": _text("many.geojson", lambda b: _points(600)),
    "too-many-vertices-in-all": _text("total.geojson", lambda b: json.dumps({
        "type": "FeatureCollection", "features": [json.loads(_geojson_polygon(300))["features"][0]
                                                  for _ in range(20)]})),
}

#: Archives whose headers lie or that zipfile cannot unpack.
LYING_ARCHIVES: dict[str, Builder] = {
    "zip-size-understated": _file(lambda f, b: _lying_zip(
        f / "a.zip", "p.geojson", _points(50).encode(), size=100)),
    "zip-size-overstated": _file(lambda f, b: _lying_zip(
        f / "b.zip", "p.geojson", _points(5).encode(), size=10_000_000)),
    "zip-wrong-crc": _file(lambda f, b: _lying_zip(f / "c.zip", "p.geojson", _points(5).encode(),
                                                   crc=12345)),
    "zip-unknown-method": _file(lambda f, b: _lying_zip(f / "d.zip", "p.geojson",
                                                        _points(5).encode(), method=99)),
    "zip-encrypted-flag": _file(lambda f, b: _lying_zip(f / "e.zip", "p.geojson",
                                                        _points(5).encode(), flags=1)),
    "zip-truncated": _file(lambda f, b: _truncate(_zip(f / "t.zip", {"p.geojson": _points(400)}))),
    "kmz-size-understated": _file(lambda f, b: _lying_zip(
        f / "k.kmz", "doc.kml", (XML + "<kml>" + "<Placemark/>" * 500 + "</kml>").encode(),
        size=50)),
    "xlsx-size-understated": _file(lambda f, b: _lie_inside(_xlsx(f / "x.xlsx")), crs="EPSG:4326"),
}

#: Noise behind each format's magic bytes, and parser bombs.
GARBAGE: dict[str, Builder] = {
    "gpkg-noise": _file(lambda f, b: _bytes(f / "n.gpkg", b"SQLite format 3\x00" + NOISE)),
    "fgb-noise": _file(lambda f, b: _bytes(f / "n.fgb", b"fgb\x03" + NOISE)),
    "zip-noise": _file(lambda f, b: _bytes(f / "n.zip", b"PK\x03\x04" + NOISE)),
    "kml-noise": _file(lambda f, b: _bytes(f / "n.kml", b"<?xml" + NOISE)),
    "geojson-noise": _file(lambda f, b: _bytes(f / "n.geojson", b"{" + NOISE)),
    "csv-noise": _text("n.csv", lambda b: "".join(RANDOM.choice("ab,;\"'\n\r\t 0.9")
                                                  for _ in range(20_000)), crs="EPSG:4326"),
    "geojson-deep-nesting": _text("deep.geojson", lambda b: '{"type": "FeatureCollection", '
                                  '"features": ' + "[" * 200_000 + "]" * 200_000 + "}"),
    "kml-billion-laughs": _text("laughs.kml", lambda b: (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                  for c, p in zip("bcdefghij", "abcdefghi", strict=True))
        + ']><kml><Placemark><name>&j;</name></Placemark></kml>')),
    "csv-many-columns": _text("wide.csv", lambda b: ",".join(f"c{i}" for i in range(20_000))
                              + "\n" + ",".join("1" for _ in range(20_000)) + "\n",
                              crs="EPSG:4326"),
}


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _lie_inside(path: Path) -> Path:
    """Understate the size of the sheet in an XLSX's local header (the central one is kept)."""
    raw = bytearray(path.read_bytes())
    at = raw.index(b"xl/worksheets/sheet1.xml") - 30
    assert raw[at:at + 4] == b"PK\x03\x04"
    raw[at + 22:at + 26] = struct.pack("<I", 10)
    path.write_bytes(bytes(raw))
    return path


ALL: dict[str, Builder] = {**FOREIGN_FORMATS, **NETWORK, **RUNAWAY, **OVERSIZED,
                           **LYING_ARCHIVES, **GARBAGE}
