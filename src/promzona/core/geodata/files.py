"""Taking in GIS files safely: size, archive and content checks; the table read from them.

Everything here is Django-free. :func:`opened` copies an upload, or extracts the one dataset
of an archive, into a private temporary folder (mode 0700) and removes it afterwards; the
dataset is then read in a sandboxed child process (:mod:`.sandbox`), never in this one.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from ..errors import InputError, gettext_noop
from ..sinks import spreadsheet_row

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024

#: Extension -> kind of content expected (checked by :func:`sniff`).
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
#: Extension of the dataset read -> the only GDAL driver allowed to open it.
DRIVERS: dict[str, str] = {
    ".gpkg": "GPKG",
    ".shp": "ESRI Shapefile",
    ".kml": "LIBKML",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
    ".csv": "CSV",
    ".xlsx": "XLSX",
}
DATASET_SUFFIXES = (".shp", ".gpkg", ".kml", ".geojson", ".json", ".fgb", ".csv")
#: The files of a Shapefile that are extracted with its .shp (nothing else is).
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: What reading a lying or damaged archive raises (zipfile, zlib and the OS underneath).
ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                  ValueError, NotImplementedError, RuntimeError)
MIB = 1024 * 1024


class FileRefused(InputError):
    """The file is refused as a whole (size, archive, content, layers, CRS, limits): nothing
    is imported. The message is ``template % params``, translated at the edge."""

    code = "file_refused"

    def __init__(self, template: str, *, field: str | None = None, details: Any = None,
                 **params: Any):
        super().__init__(template, field=field, details=details, params=params)


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
        raise FileRefused(gettext_noop("Unsupported file type %(suffix)s; use one of "
                                       "%(formats)s."),
                          suffix=suffix[:20] or "(none)", formats=", ".join(sorted(FORMATS)))
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
        raise FileRefused(gettext_noop("The content of the file does not look like a "
                                       "%(suffix)s file."), suffix=suffix)


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a multi-byte character cut at the 4096 boundary
    return True


def _damaged(exc: BaseException) -> FileRefused:
    return FileRefused(gettext_noop("The archive is damaged or not a ZIP file (%(reason)s)."),
                       reason=str(exc)[:200] or type(exc).__name__)


def check_zip(path: Path) -> list[zipfile.ZipInfo]:
    """The archive's entries, after refusing bombs, traversal, absolute paths and symlinks."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except ARCHIVE_ERRORS as exc:
        raise _damaged(exc) from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRefused(gettext_noop("The archive has %(n)s entries; at most %(max)s are "
                                       "accepted."), n=len(infos), max=MAX_ZIP_ENTRIES)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(gettext_noop("The archive would unpack to %(mib)s MiB; at most "
                                       "%(max)s MiB are accepted."),
                          mib=total // MIB, max=MAX_UNCOMPRESSED_BYTES // MIB)
    for info in infos:
        name = info.filename.replace("\\", "/")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
            raise FileRefused(gettext_noop("The archive has an unsafe path: %(name)s."),
                              name=info.filename[:80])
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise FileRefused(gettext_noop("The archive contains a symbolic link: %(name)s."),
                              name=info.filename[:80])
    return infos


def _suffix(info: zipfile.ZipInfo) -> str:
    return PurePosixPath(info.filename.replace("\\", "/")).suffix.lower()


def _members(infos: list[zipfile.ZipInfo], *, kmz: bool) -> list[zipfile.ZipInfo]:
    """The archive's one dataset (a Shapefile with its .shx, .dbf, .prj and .cpg): nothing else
    of the archive is extracted, so no side file reaches the reader."""
    entries = [i for i in infos if not i.is_dir()]
    wanted = (".kml",) if kmz else DATASET_SUFFIXES
    found = sorted((i for i in entries if _suffix(i) in wanted), key=lambda i: i.filename)
    if not found:
        raise FileRefused(gettext_noop("The archive contains no dataset (.shp, .gpkg, .kml, "
                                       ".geojson, …)."))
    if len(found) > 1 and not kmz:
        found = [i for i in found if _suffix(i) == ".shp"]
        if len(found) != 1:
            raise FileRefused(gettext_noop("The archive contains more than one dataset; "
                                           "upload one at a time."))
    main = found[0]
    if _suffix(main) != ".shp":
        return [main]
    stem = main.filename[: -len(".shp")].lower()
    return [main] + [i for i in entries if i is not main and _suffix(i) in SHAPEFILE_PARTS
                     and i.filename[: -len(_suffix(i))].lower() == stem]


def _extract(path: Path, members: list[zipfile.ZipInfo], dest: Path) -> Path:
    """Extract ``members`` flat into ``dest``, never writing more than their headers announce;
    return the path of the first."""
    out_paths = []
    try:
        with zipfile.ZipFile(path) as zf:
            for info in members:
                target = dest / PurePosixPath(info.filename.replace("\\", "/")).name
                with zf.open(info) as src, open(target, "xb") as out:
                    remaining = info.file_size
                    while chunk := src.read(min(MIB, remaining + 1)):
                        remaining -= len(chunk)
                        if remaining < 0:
                            raise FileRefused(gettext_noop("An archive entry is larger than "
                                                           "its header says."))
                        out.write(chunk)
                out_paths.append(target)
    except FileRefused:
        raise
    except ARCHIVE_ERRORS as exc:
        raise _damaged(exc) from exc
    return out_paths[0]


@contextlib.contextmanager
def opened(source: Path, *, name: str | None = None, workdir: Path | None = None
           ) -> Iterator[Path]:
    """Yield the path of the dataset to read, in a private temporary folder (inside
    ``workdir`` when given) removed afterwards, whatever happens.

    ``name`` is the original file name (uploads are stored under random names); its extension
    decides the format, and the content must match it.
    """
    source = Path(source)
    suffix = Path(name or source.name).suffix.lower()
    size = source.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(gettext_noop("The file is %(mib)s MiB; at most %(max)s MiB are "
                                       "accepted."), mib=size // MIB, max=MAX_FILE_BYTES // MIB)
    if size == 0:
        raise FileRefused(gettext_noop("The file is empty."))
    sniff(source, suffix)
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = Path(tempfile.mkdtemp(prefix="promzona-import-", dir=workdir))  # mode 0700
    try:
        if suffix in (".zip", ".kmz"):
            yield _extract(source, _members(check_zip(source), kmz=suffix == ".kmz"), tmp)
        else:
            if suffix == ".xlsx":  # a ZIP too: refuse bombs before GDAL unpacks it
                check_zip(source)
            target = tmp / f"upload{suffix}"
            shutil.copyfile(source, target)
            yield target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def parse_crs(text: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise FileRefused(gettext_noop("Unknown CRS %(crs)s."), field="crs", crs=text[:60]) \
            from exc


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
