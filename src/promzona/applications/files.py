"""What an uploaded document really is, from its first bytes (never from its name)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from promzona.core.errors import InputError
from promzona.core.filenames import safe_filename

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

#: kind -> (content type, extension)
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def sniff(fileobj: IO[bytes]) -> str | None:
    """``pdf``, ``png``, ``jpeg``, ``docx`` or ``xlsx`` by content, or ``None`` for anything else.

    DOCX and XLSX are ZIP packages; they are told apart by the part that only each one has.
    """
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fileobj) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def upload_kind(upload: Any) -> str:
    """The kind of an uploaded document (see :data:`KINDS`), or :class:`InputError` when it is
    over :data:`MAX_ATTACHMENT_BYTES` or not one of the accepted types. Every upload of
    documents (application attachments, instruction reports) is checked here."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise InputError(_("An attachment may be at most 20 MB."), field="file")
    kind = sniff(upload)
    if kind is None:
        raise InputError(
            _("Only PDF, DOCX, XLSX, PNG and JPEG files are accepted."), field="file"
        )
    return kind


def download_name(name: str | None, content_type: str, fallback: str) -> str:
    """The name a download is saved under: the client's name without its own extension, plus
    the extension of the type detected from the content (``invoice.html`` holding a PDF is
    served as ``invoice.pdf``)."""
    ext = next((e for ctype, e in KINDS.values() if ctype == content_type), "bin")
    stem = safe_filename(name)
    stem = stem.rsplit(".", 1)[0].rstrip(" ._") if "." in stem else stem
    return f"{stem or fallback}.{ext}"


def delete_stored(names: Iterable[str]) -> None:
    """Delete the stored files ``names`` (empty names skipped)."""
    for name in names:
        if name:
            default_storage.delete(name)


@contextmanager
def stored_with_rows() -> Iterator[list[str]]:
    """A block that stores files while it writes their rows: the names it appends to the list
    are deleted again when the block fails, as its rows roll back (no orphan files)."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        delete_stored(names)
        raise
