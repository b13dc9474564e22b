"""Import files on disk: storing an upload for its preview, reading a file, and removing what
a crash left behind.

``var/imports/`` holds uploads waiting for *Confirm import* (random names, at most
:data:`PREVIEW_SECONDS`); ``var/imports/work/`` the private folders a reading unpacks into, each
removed when its reading ends. A process killed meanwhile leaves them behind: :func:`imports_clean`
(run at start-up and by ``promzona imports clean``) removes whatever is older than its use.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

from promzona.core.geodata import files, sandbox

log = logging.getLogger(__name__)

UPLOADS = Path(settings.PROMZONA_VAR_DIR) / "imports"
WORK = UPLOADS / "work"
PREVIEW_SECONDS = 3600
#: A reading's folder lives for the unpacking plus the reading (at most its wall-time limit).
WORK_SECONDS = 20 * sandbox.LIMITS.wall_seconds


def upload_store(upload) -> str:
    """Keep an uploaded file under a random name until it is confirmed; return that name."""
    UPLOADS.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_hex(16)
    with open(UPLOADS / token, "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def read_upload(path: Path, *, name: str | None, layer: str | None, crs: str | None
                ) -> files.Table:
    """Check, unpack and read ``path`` in the sandbox (a refusal is :class:`files.FileRefused`)."""
    with files.opened(path, name=name, workdir=WORK) as dataset:
        return sandbox.read_table(dataset, layer=layer, crs=crs)


def imports_clean(*, now: float | None = None) -> list[Path]:
    """Remove previews older than :data:`PREVIEW_SECONDS` and reading folders older than
    :data:`WORK_SECONDS`; return what was removed. Safe while imports run (only by age)."""
    now = time.time() if now is None else now
    removed = []
    for folder, max_age in ((UPLOADS, PREVIEW_SECONDS), (WORK, WORK_SECONDS)):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry == WORK:
                continue
            try:
                if entry.lstat().st_mtime >= now - max_age:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except FileNotFoundError:  # removed meanwhile by another process
                continue
            removed.append(entry)
    return removed
