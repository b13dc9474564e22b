"""Reading an upload in a child process that can do little harm (``docs/security.md``).

The web or CLI process never opens an upload with GDAL. :func:`read_table` starts a fresh
Python (:mod:`.reader`) with:

- only the GDAL driver of the declared format (``OGR_SKIP`` names every other one, so the VRT
  driver, the network drivers and content sniffing are gone; the child checks it before opening);
- no network: ``CPL_VSIL_CURL_ALLOWED_FILENAME`` makes /vsicurl/ and the file systems built on it
  refuse every path without a request, ``GDAL_HTTP_PROXY`` (and curl's ``*_proxy``) send any
  other HTTP request of GDAL (a GeoJSON ``crs`` link, say) to a closed local port, and the child
  also leaves the network namespace where the kernel allows it;
- no side files: ``GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR`` and ``GDAL_PAM_ENABLED=NO``; no
  plugins or configuration files (``GDAL_DRIVER_PATH=disable``, ``GDAL_CONFIG_FILE``);
- a minimal environment (none of the server's settings, secrets or database URL), its own
  session, and hard limits: wall time (then killed), CPU time, address space and file size.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely

from .. import geometry
from .files import DRIVERS, MIB, FileRefused, Table, gettext_noop

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What reading one upload may use, and how big the layer read may be."""

    wall_seconds: float = 30
    cpu_seconds: int = 20
    memory_mib: int = 1024
    max_features: int = 200_000
    max_vertices: int = geometry.MAX_VERTICES
    max_total_vertices: int = 5_000_000


LIMITS = Limits()
DEAD_PORT = "127.0.0.1:9"  # discard: nothing listens there
#: Runs :func:`.reader.main` in a fresh interpreter that ignores PYTHON* variables and the user's
#: site-packages and does not put its working folder on ``sys.path``; pyogrio's optional
#: pandas, geopandas and pyarrow are not loaded (half of the start-up time).
CHILD = ("import sys; sys.modules.update(pandas=None, geopandas=None, pyarrow=None); "
         "sys.path.insert(0, sys.argv[1]); "
         "from promzona.core.geodata.reader import main; sys.exit(main())")
PACKAGE_ROOT = Path(__file__).resolve().parents[3]

TIME_LIMIT = gettext_noop("Reading the file took longer than %(seconds)s seconds and was "
                          "stopped; the file is refused.")
CPU_LIMIT = gettext_noop("Reading the file used more than %(seconds)s seconds of processor "
                         "time and was stopped; the file is refused.")
MEMORY_LIMIT = gettext_noop("Reading the file needed more than %(mib)s MiB of memory and was "
                            "stopped; the file is refused.")
CRASHED = gettext_noop("The file could not be read: the reader stopped (a damaged file, or "
                       "more than the %(mib)s MiB of memory allowed); the file is refused.")


@cache
def _all_drivers() -> frozenset[str]:
    return frozenset(pyogrio.list_drivers())


def child_environment(driver: str, folder: Path) -> dict[str, str]:
    """The reader's whole environment: GDAL reduced to ``driver``, no network, no side files."""
    proxy = f"http://{DEAD_PORT}"
    return {
        "PATH": os.defpath, "LANG": "C.UTF-8", "HOME": str(folder), "TMPDIR": str(folder),
        "CPL_TMPDIR": str(folder), "SQLITE_TMPDIR": str(folder),
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "GDAL_NUM_THREADS": "1",
        "OGR_SKIP": ",".join(sorted(_all_drivers() - {driver})),
        "GDAL_SKIP": "VRT GTI",
        "GDAL_DRIVER_PATH": "disable", "GDAL_CONFIG_FILE": os.devnull,
        "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR", "GDAL_PAM_ENABLED": "NO",
        "CPL_VSIL_CURL_ALLOWED_FILENAME": "/vsicurl/http://invalid.invalid/",
        "CPL_VSIL_CURL_HEADER_FILE_KVP_ENABLED": "NO",
        "GDAL_HTTP_PROXY": DEAD_PORT, "GDAL_HTTPS_PROXY": DEAD_PORT,
        "GDAL_HTTP_TIMEOUT": "1", "GDAL_HTTP_CONNECTTIMEOUT": "1", "GDAL_HTTP_MAX_RETRY": "0",
        "http_proxy": proxy, "https_proxy": proxy, "all_proxy": proxy,
        "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "ALL_PROXY": proxy,
        "PROJ_NETWORK": "OFF",
    }


def read_table(path: Path, *, layer: str | None = None, crs: str | None = None,
               isolate_network: bool = True) -> Table:
    """Read one layer of the dataset ``path`` (inside the private folder of
    :func:`.files.opened`) in the child, within :data:`LIMITS`.

    ``layer`` is needed when the file has several; ``crs`` names the file's CRS when it has none
    (CSV, XLSX, a Shapefile without .prj) and overrides it otherwise. Every refusal, limit hit
    included, is a :class:`.files.FileRefused`.
    """
    path = Path(path)
    driver = DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise FileRefused(gettext_noop("Unsupported file type %(suffix)s; use one of "
                                       "%(formats)s."),
                          suffix=path.suffix[:20] or "(none)", formats=", ".join(sorted(DRIVERS)))
    limits = LIMITS
    work = Path(tempfile.mkdtemp(prefix="reader-", dir=path.parent))
    request = {"path": str(path), "driver": driver, "layer": layer, "crs": crs,
               "limits": asdict(limits), "answer": str(work / "answer.json"),
               "isolate_network": isolate_network}
    with open(work / "reader.log", "wb") as stderr:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-I", "-c", CHILD, str(PACKAGE_ROOT)], cwd=work, stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=stderr, env=child_environment(driver, work),
            start_new_session=True)
        try:
            proc.communicate(json.dumps(request).encode(), timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            raise FileRefused(TIME_LIMIT, seconds=limits.wall_seconds) from None
        finally:
            _kill(proc)
    return _answer(proc.returncode, work, limits)


def _kill(proc: subprocess.Popen) -> None:
    """Kill the child's whole session if it still runs (nothing of it may outlive the request),
    and reap it."""
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


def _answer(returncode: int, work: Path, limits: Limits) -> Table:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise FileRefused(CPU_LIMIT, seconds=limits.cpu_seconds)
    answer_path = work / "answer.json"
    try:
        if returncode != 0 or answer_path.stat().st_size > limits.memory_mib * MIB:
            raise ValueError(f"exit status {returncode}")
        answer = json.loads(answer_path.read_bytes())
        log.debug("geodata reader: network isolated: %s", answer.get("network_isolated"))
        if answer.get("limit") == "memory":
            refusal = FileRefused(MEMORY_LIMIT, mib=limits.memory_mib)
        elif "refused" in answer:
            r = answer["refused"]
            refusal = FileRefused(str(r["template"]), field=r["field"], details=r["details"],
                                  **{str(k): v for k, v in dict(r["params"]).items()})
        else:
            return _table(answer["table"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        tail = (work / "reader.log").read_bytes()[-2000:].decode("utf-8", "replace")
        log.warning("The geodata reader failed (%s): %s", exc, tail)
        raise FileRefused(CRASHED, mib=limits.memory_mib) from None
    raise refusal


def _column(values: list[Any], n: int) -> np.ndarray:
    if len(values) != n or not all(v is None or isinstance(v, (str, int, float, bool))
                                   for v in values):
        raise ValueError("a column of the answer is not a list of plain values")
    return np.array(values, dtype=object)


def _table(t: dict[str, Any]) -> Table:
    wkb = np.array([None if w is None else base64.b64decode(w) for w in t["wkb"]], dtype=object)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    columns = {str(name): _column(values, len(geoms)) for name, values in t["columns"].items()}
    return Table(geometries=geoms, columns=columns, crs=str(t["crs"]), layer=str(t["layer"]),
                 fields=[str(f) for f in t["fields"]])
