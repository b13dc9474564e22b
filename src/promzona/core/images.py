"""Photos for publication: decoded, checked, re-encoded and resized with Pillow.

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


def photo_variants(data: bytes) -> dict[str, Encoded]:
    """JPEG variants (``large``, ``thumb``) of an uploaded image, or :class:`InputError`."""
    if not data:
        raise InputError(gettext_noop("The photo is empty."), field="photo")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(gettext_noop("The photo is larger than 10 MB."), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, size = probe.format, probe.size
            if kind not in FORMATS:
                raise InputError(gettext_noop("The photo must be a JPEG, PNG or WebP image."),
                                 field="photo")
            if size[0] * size[1] > MAX_PIXELS:
                raise InputError(gettext_noop("The photo has more than 40 megapixels."),
                                 field="photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            img = _flatten(img)
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise InputError(UNREADABLE, field="photo") from exc
    if min(img.size) < 1:
        raise InputError(UNREADABLE, field="photo")
    return {name: _encode(img, side) for name, side in VARIANTS.items()}


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
