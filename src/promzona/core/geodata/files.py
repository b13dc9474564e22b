"""Reading GIS files safely: size and archive checks, content sniffing, reading with pyogrio.

Everything here is Django-free. :func:`opened` copies or extracts an upload into a private
temporary folder (mode 0700) and removes it afterwards; :func:`read_table` reads a layer into
plain arrays with geometries transformed to WGS 84 (lon, lat).
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from ..errors import InputError
from ..sinks import spreadsheet_row

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024

#: Extension -> (kind of content expected, whether it is an archive to unpack).
FORMATS: dict[str, str] = {
    ".gpkg": "sqlite",
    ".zip": "zip",  # a zipped Shapefile (or any single dataset inside)
    ".kmz": "zip",
    ".xlsx": "zip",
    ".kml": "xml",
    ".geojson": "json",
    ".json": "json",
    ".fgb": "fgb",
    ".csv": "text",
}
DATASET_SUFFIXES = (".shp", ".gpkg", ".kml", ".geojson", ".json", ".fgb", ".csv")


class FileRefused(InputError):
    """The file is refused before anything is read from it (size, archive, content)."""

    code = "file_refused"


@dataclass
class Table:
    """One layer: geometries (shapely, WGS 84) and attribute columns, row-aligned."""

    geometries: np.ndarray
    columns: dict[str, np.ndarray]
    crs: str
    layer: str
    fields: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.geometries)

    def filled_fields(self) -> list[str]:
        """Fields with at least one non-empty value (KML carries many empty standard ones)."""
        return [f for f in self.fields
                if any(_plain(v) not in (None, "") for v in self.columns[f])]

    def row(self, i: int) -> dict[str, Any]:
        return {name: _plain(col[i]) for name, col in self.columns.items()}


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v != v:  # NaN
        return None
    return v


def sniff(path: Path, suffix: str) -> None:
    """Refuse a file whose content does not match its extension."""
    kind = FORMATS.get(suffix)
    if kind is None:
        raise FileRefused(
            f"Unsupported file type {suffix or '(none)'!s:.20}; use one of "
            f"{', '.join(sorted(FORMATS))}."
        )
    with open(path, "rb") as fh:
        head = fh.read(4096)
    ok = {
        "sqlite": head.startswith(b"SQLite format 3\x00"),
        "zip": head.startswith(b"PK\x03\x04"),
        "fgb": head.startswith(b"fgb\x03"),
        "xml": head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<kml")),
        "json": head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"),
        "text": b"\x00" not in head and _is_utf8(head),
    }[kind]
    if not ok:
        raise FileRefused(f"The content of the file does not look like a {suffix} file.")


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a multi-byte character cut at the 4096 boundary
    return True


def check_zip(path: Path) -> list[zipfile.ZipInfo]:
    """The archive's entries, after refusing bombs, traversal, absolute paths and symlinks."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileRefused("The archive is damaged or not a ZIP file.") from exc
    with zf:
        infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRefused(
            f"The archive has {len(infos)} entries; at most {MAX_ZIP_ENTRIES} are accepted."
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            f"The archive would unpack to {total // (1024 * 1024)} MiB; at most "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB are accepted."
        )
    for info in infos:
        name = info.filename.replace("\\", "/")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
            raise FileRefused(f"The archive has an unsafe path: {info.filename!s:.80}.")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise FileRefused(f"The archive contains a symbolic link: {info.filename!s:.80}.")
    return infos


def _extract(path: Path, infos: list[zipfile.ZipInfo], dest: Path) -> None:
    """Extract regular files only, never writing more than the headers announced."""
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if info.is_dir():
                continue
            target = (dest / info.filename.replace("\\", "/")).resolve()
            if dest.resolve() not in target.parents:
                raise FileRefused(f"The archive has an unsafe path: {info.filename!s:.80}.")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "xb") as out:
                remaining = info.file_size
                while chunk := src.read(min(1 << 20, remaining + 1)):
                    remaining -= len(chunk)
                    if remaining < 0:
                        raise FileRefused("An archive entry is larger than its header says.")
                    out.write(chunk)


@contextlib.contextmanager
def opened(source: Path, *, name: str | None = None) -> Iterator[Path]:
    """Yield the path of the dataset to read, in a private temporary folder removed afterwards.

    ``name`` is the original file name (uploads are stored under random names); its extension
    decides the format, and the content must match it.
    """
    source = Path(source)
    suffix = Path(name or source.name).suffix.lower()
    size = source.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"The file is {size // (1024 * 1024)} MiB; at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB are accepted."
        )
    if size == 0:
        raise FileRefused("The file is empty.")
    sniff(source, suffix)
    tmp = Path(tempfile.mkdtemp(prefix="promzona-import-"))  # mode 0700
    try:
        if suffix in (".zip", ".kmz"):
            infos = check_zip(source)
            _extract(source, infos, tmp)
            yield _dataset_in(tmp, kmz=suffix == ".kmz")
        else:
            if suffix == ".xlsx":  # a ZIP too: refuse bombs before GDAL unpacks it
                check_zip(source)
            target = tmp / f"upload{suffix}"
            shutil.copyfile(source, target)
            yield target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _dataset_in(folder: Path, *, kmz: bool) -> Path:
    found = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in ((".kml",) if kmz else DATASET_SUFFIXES)
    )
    if not found:
        raise FileRefused("The archive contains no dataset (.shp, .gpkg, .kml, .geojson, …).")
    if len(found) > 1 and not kmz:
        shp = [p for p in found if p.suffix.lower() == ".shp"]
        if len(shp) != 1:
            raise FileRefused("The archive contains more than one dataset; upload one at a time.")
        return shp[0]
    return found[0]


def parse_crs(text: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise InputError(f"Unknown CRS {text!s:.60}.", field="crs") from exc


WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "геометрия")
LON_NAMES = ("lon", "long", "lng", "longitude", "x", "долгота")
LAT_NAMES = ("lat", "latitude", "y", "широта")


def _column(names: list[str], wanted: tuple[str, ...]) -> str | None:
    lowered = {n.lower().strip(): n for n in names}
    return next((lowered[w] for w in wanted if w in lowered), None)


def read_table(path: Path, *, layer: str | None = None, crs: str | None = None) -> Table:
    """Read one layer into a :class:`Table` in WGS 84: ``layer``, or the file's only one (a file
    with several layers and none named is refused with their names).

    The file's CRS is used when it has one; ``crs`` names it when it has none (CSV, XLSX,
    Shapefile without .prj) and overrides it otherwise. Without either, the file is refused.
    """
    suffix = path.suffix.lower()
    tabular = suffix in (".csv", ".xlsx")
    try:
        names = [str(x) for x in pyogrio.list_layers(path)[:, 0]]
        if layer is None and len(names) > 1:
            shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
            raise FileRefused(f"The file has {len(names)} layers ({shown}); name the one to "
                              "import.", details={"layers": names[:200]})
        if layer is not None and layer not in names:
            raise FileRefused(f"The file has no layer {layer!r:.60}; its layers: "
                              f"{', '.join(names[:20])}.", details={"layers": names[:200]})
        if layer is None:
            layer = names[0] if names else None
        kwargs: dict[str, Any] = {"layer": layer}
        if tabular:
            kwargs["read_geometry"] = False
        if suffix == ".xlsx":
            kwargs.update(HEADERS="FORCE", FIELD_TYPES="STRING")
        meta, _fids, wkb, field_data = pyogrio.raw.read(path, **kwargs)
    except FileRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL fails in many ways on a hostile file
        raise FileRefused(f"The file cannot be read as a GIS dataset: {exc}"[:300]) from exc
    names = [str(n) for n in meta["fields"]]
    columns = {n: np.asarray(col) for n, col in zip(names, field_data, strict=True)}
    if tabular:
        wkb = None
        geoms = _geometries_from_columns(columns, names)
    else:
        if wkb is None:
            raise FileRefused("The layer has no geometry.")
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    file_crs = meta.get("crs")
    if crs:
        source = parse_crs(crs)
    elif file_crs:
        source = parse_crs(file_crs)
    else:
        raise InputError(
            "The file does not say which coordinate reference system it uses; name it "
            "(for example EPSG:4326 or EPSG:32643).", field="crs",
        )
    geoms = to_wgs84(geoms, source)
    return Table(
        geometries=geoms, columns=columns, crs=source.to_string(), layer=str(layer or ""),
        fields=[n for n in names if n not in _geometry_columns(names)] if tabular else names,
    )


def _geometry_columns(names: list[str]) -> set[str]:
    return {c for c in (_column(names, WKT_NAMES), _column(names, LON_NAMES),
                        _column(names, LAT_NAMES)) if c}


def _geometries_from_columns(columns: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    wkt = _column(names, WKT_NAMES)
    if wkt:
        text = np.array([str(v) if v not in (None, "") else None for v in columns[wkt]],
                        dtype=object)
        return shapely.from_wkt(text, on_invalid="ignore")
    lon, lat = _column(names, LON_NAMES), _column(names, LAT_NAMES)
    if lon and lat:
        try:
            x = np.asarray(columns[lon], dtype=float)
            y = np.asarray(columns[lat], dtype=float)
        except (TypeError, ValueError) as exc:
            raise InputError("The longitude/latitude columns hold values that are not numbers.") \
                from exc
        return shapely.points(x, y)
    raise InputError(
        "The table has neither a WKT column (wkt, geometry) nor longitude/latitude columns "
        "(lon/lat, x/y, долгота/широта)."
    )


def to_wgs84(geoms: np.ndarray, source: CRS) -> np.ndarray:
    """Transform an array of geometries from ``source`` to WGS 84 (lon, lat), vectorised."""
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return geoms
    transformer = Transformer.from_crs(source, 4326, always_xy=True)

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    mask = ~shapely.is_missing(geoms)
    out = geoms.copy()
    out[mask] = shapely.transform(geoms[mask], fn)
    return out


#: GDAL drivers whose files open in a spreadsheet.
SPREADSHEET_DRIVERS = ("CSV", "XLSX", "ODS")


def write_table(
    path: Path, *, driver: str, geometries: np.ndarray, columns: dict[str, np.ndarray],
    layer: str, geometry_type: str,
) -> None:
    """Write geometries (WGS 84) and columns with pyogrio; CSV gets a WKT column. Spreadsheet
    formats get their text made safe (:func:`promzona.core.sinks.spreadsheet_cell`)."""
    names = list(columns)
    data = [np.asarray(columns[n]) for n in names]
    kwargs: dict[str, Any] = {}
    if driver in SPREADSHEET_DRIVERS:
        data = [np.array(spreadsheet_row(c), dtype=object) if c.dtype == object else c
                for c in data]
    if driver == "CSV":
        kwargs["layer_options"] = {"GEOMETRY": "AS_WKT", "STRING_QUOTING": "ALWAYS"}
    if driver == "ESRI Shapefile":
        kwargs["encoding"] = "UTF-8"
    pyogrio.raw.write(
        str(path), shapely.to_wkb(geometries), data, names, layer=layer, driver=driver,
        geometry_type=geometry_type, crs="EPSG:4326", **kwargs,
    )
