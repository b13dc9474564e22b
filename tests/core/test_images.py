"""Photos are re-encoded: resized, metadata (GPS) gone, only real images of sane size."""

import io

import pytest
from PIL import Image

from promzona.core import images
from promzona.core.errors import InputError

pytestmark = pytest.mark.nodb

GPS_IFD = 0x8825


def _jpeg_with_gps(size=(3000, 2000)) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = 6  # orientation: rotated 90° clockwise
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (46.0, 50.0, 0.0), 3: "E", 4: (74.0, 59.0, 0.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_gps_and_camera_metadata_are_stripped_and_orientation_applied():
    data = _jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the upload does carry a position
    variants = images.photo_variants(data)
    for v in variants.values():
        with Image.open(io.BytesIO(v.data)) as out:
            assert out.format == "JPEG"
            assert not out.getexif() and "exif" not in out.info
            assert out.height > out.width  # the orientation was applied to the pixels
    assert max(variants["large"].width, variants["large"].height) == images.VARIANTS["large"]
    assert max(variants["thumb"].width, variants["thumb"].height) == images.VARIANTS["thumb"]


def test_small_images_are_not_enlarged():
    out = io.BytesIO()
    Image.new("RGB", (300, 200)).save(out, "PNG")
    assert (images.photo_variants(out.getvalue())["large"].width) == 300


def test_transparent_png_is_flattened_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    v = images.photo_variants(out.getvalue())["large"]
    with Image.open(io.BytesIO(v.data)) as img:
        assert img.mode == "RGB" and img.getpixel((5, 5))[0] > 240


@pytest.mark.parametrize("data", [
    b"", b"%PDF-1.4 not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a" + b"\x00" * 30,
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
])
def test_non_images_are_refused(data):
    with pytest.raises(InputError):
        images.photo_variants(data)


def test_gif_is_refused_even_when_readable():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(InputError, match="JPEG, PNG or WebP"):
        images.photo_variants(out.getvalue())


def test_a_decompression_bomb_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels in a few kilobytes
    assert len(out.getvalue()) < 200_000
    with pytest.raises(InputError, match="40 megapixels"):
        images.photo_variants(out.getvalue())


def test_an_oversized_upload_is_refused():
    with pytest.raises(InputError, match="10 MB"):
        images.photo_variants(b"\xff\xd8\xff" + b"\x00" * images.MAX_UPLOAD_BYTES)
