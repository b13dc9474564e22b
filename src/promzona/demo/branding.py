"""The demo zone's branding: a name, the colour of the lake and a logo drawn here (ILLUSTRATIVE:
not the emblem of any real body)."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw

from promzona.web.models import Branding
from promzona.web.services import branding_save

COLOUR = "#00677f"


def logo() -> bytes:
    """A round mark: a factory with a chimney over the waves of the lake (PNG, 128 px)."""
    size, s = 512, 4  # drawn four times larger, then scaled down smoothly
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((0, 0, size - 1, size - 1), fill=COLOUR)
    white = (255, 255, 255, 255)
    draw.polygon([(24 * s, 78 * s), (24 * s, 52 * s), (44 * s, 62 * s), (44 * s, 52 * s),
                  (64 * s, 62 * s), (64 * s, 30 * s), (76 * s, 30 * s), (76 * s, 62 * s),
                  (104 * s, 62 * s), (104 * s, 78 * s)], fill=white)
    for y in (88, 100):
        draw.arc((22 * s, (y - 6) * s, 54 * s, (y + 6) * s), 200, 340, fill=white, width=4 * s)
        draw.arc((52 * s, (y - 6) * s, 84 * s, (y + 6) * s), 200, 340, fill=white, width=4 * s)
        draw.arc((82 * s, (y - 6) * s, 106 * s, (y + 6) * s), 200, 320, fill=white, width=4 * s)
    out = io.BytesIO()
    img.resize((128, 128), Image.Resampling.LANCZOS).save(out, "PNG")
    return out.getvalue()


def load(*, now: dt.datetime) -> None:
    """The demo's branding, unless the deployment already has its own."""
    if Branding.objects.exists():
        return
    branding_save(actor=None, branding=Branding(
        name_ru="МПЗ «Балхаш» (демо)", name_kk="«Балқаш» ШИА (демо)", name_en="Balkhash SIZ (demo)",
        colour=COLOUR), logo=logo(), now=now)
