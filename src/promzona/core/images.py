"""Photos for publication and the portal's logo: decoded, checked, re-encoded and resized with Pillow.

Re-encoding from the decoded pixels writes a new JPEG without any of the upload's metadata:
EXIF (camera, GPS position), XMP, ICC profiles and comments are gone; the EXIF orientation is
applied to the pixels first. Only JPEG, PNG and WebP uploads are accepted, and only up to
:data:`MAX_PIXELS` (a decompression bomb is refused before its pixels are decoded).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InputError, gettext_noop

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
#: Longest side of each stored variant, in pixels.
VARIANTS = {"large": 1280, "thumb": 480}
QUALITY = 80


UNREADABLE = gettext_noop("The photo is not a readable image.")


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int


class _Unreadable(Exception):
    """Not an image of the accepted formats and size (``reason``: which)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _decoded(data: bytes) -> Image.Image:
    """The upload's pixels, EXIF orientation applied; :class:`_Unreadable` ("format", "pixels"
    or "broken") otherwise. A decompression bomb is refused before its pixels are decoded."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, size = probe.format, probe.size
            if kind not in FORMATS:
                raise _Unreadable("format")
            if size[0] * size[1] > MAX_PIXELS:
                raise _Unreadable("pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
    except _Unreadable:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise _Unreadable("broken") from exc
    if min(img.size) < 1:
        raise _Unreadable("broken")
    return img


def photo_variants(data: bytes) -> dict[str, Encoded]:
    """JPEG variants (``large``, ``thumb``) of an uploaded image, or :class:`InputError`."""
    if not data:
        raise InputError(gettext_noop("The photo is empty."), field="photo")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(gettext_noop("The photo is larger than 10 MB."), field="photo")
    try:
        img = _flatten(_decoded(data))
    except _Unreadable as exc:
        message = {"format": gettext_noop("The photo must be a JPEG, PNG or WebP image."),
                   "pixels": gettext_noop("The photo has more than 40 megapixels.")}
        raise InputError(message.get(exc.reason, UNREADABLE), field="photo") from exc
    return {name: _encode(img, side) for name, side in VARIANTS.items()}


#: A logo is drawn at most this wide and high (header, documents); larger ones are scaled down.
LOGO_BOX = (512, 128)
MAX_LOGO_BYTES = 2 * 1024 * 1024


def logo_png(data: bytes) -> Encoded:
    """An uploaded logo (JPEG, PNG or WebP, at most 2 MB) as a new PNG that keeps transparency,
    fitted into :data:`LOGO_BOX`, without the upload's metadata; :class:`InputError` otherwise."""
    if not data or len(data) > MAX_LOGO_BYTES:
        raise InputError(gettext_noop("The logo must be an image file of at most 2 MB."),
                         field="logo")
    try:
        img = _decoded(data).convert("RGBA")
    except _Unreadable as exc:
        raise InputError(gettext_noop("The logo is not a readable JPEG, PNG or WebP image."),
                         field="logo") from exc
    img.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return Encoded(out.getvalue(), img.width, img.height)


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on white: transparency and palettes do not survive JPEG."""
    if img.mode in ("RGBA", "LA", "P", "PA"):
        img = img.convert("RGBA")
        back = Image.new("RGB", img.size, (255, 255, 255))
        back.paste(img, mask=img.getchannel("A"))
        return back
    return img.convert("RGB")


def _encode(img: Image.Image, side: int) -> Encoded:
    copy = img.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return Encoded(out.getvalue(), copy.width, copy.height)
