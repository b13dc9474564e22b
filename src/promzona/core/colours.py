"""Colours of the portal's look: WCAG contrast and the shades derived from a brand colour.

>>> round(contrast_ratio("#ffffff", "#000000"), 1)
21.0
>>> round(contrast_ratio("#0b5cad", "#ffffff"), 2)
6.67
>>> shades("#0b5cad")["brand-dark"]
'#094e93'
"""

from __future__ import annotations

import re

from .errors import InputError

#: WCAG 2 AA for normal text: white text on the brand colour, and the brand colour as link text
#: on white, need at least this contrast.
MIN_CONTRAST = 4.5
_HEX = re.compile(r"#([0-9a-fA-F]{6})\Z")


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` as (r, g, b) 0–255; :class:`InputError` on anything else."""
    match = _HEX.match(str(colour).strip())
    if not match:
        raise InputError("A colour is written #rrggbb, e.g. #0b5cad.", field="colour")
    value = match.group(1)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, 1 to 21."""
    la, lb = sorted((_luminance(parse_hex(a)), _luminance(parse_hex(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(rgb: tuple[int, int, int], other: tuple[int, int, int], share: float) -> str:
    r, g, b = (round(c * (1 - share) + o * share) for c, o in zip(rgb, other, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def shades(colour: str) -> dict[str, str]:
    """The brand colour and what the style sheet derives from it: a darker one for hover and
    pressed states, a pale one for backgrounds behind dark text."""
    rgb = parse_hex(colour)
    return {"brand": _mix(rgb, rgb, 0), "brand-dark": _mix(rgb, (0, 0, 0), 0.15),
            "brand-soft": _mix(rgb, (255, 255, 255), 0.9)}
