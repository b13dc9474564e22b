"""The zone's branding in the admin: name, colour and logo reach every page; a colour without
enough contrast or an upload that is no usable logo is refused and changes nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from promzona.audit.models import AuditEntry
from promzona.web.models import Branding

pytestmark = pytest.mark.django_db


def _png(size=(300, 90), mode="RGBA", **info) -> bytes:
    out = io.BytesIO()
    img = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else 0)
    img.save(out, "PNG", pnginfo=_text(info) if info else None)
    return out.getvalue()


def _text(info):
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    for k, v in info.items():
        meta.add_text(k, v)
    return meta


def _post(client, branding, *, logo=None, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"name_ru": branding.name_ru, "name_kk": branding.name_kk, "name_en": branding.name_en,
            "colour": branding.colour, **fields}
    if logo is not None:
        data["logo_upload"] = SimpleUploadedFile("logo.png", logo)
    return client.post(reverse("admin:web_branding_change", args=[branding.pk]), data)


def test_the_demo_brand_reaches_the_header_the_style_sheet_and_the_favicon(demo, client):
    brand = Branding.objects.get()
    html = client.get("/").content.decode()
    assert f'src="/brand/logo-{brand.logo_sha}.png"' in html and brand.name_en in html
    assert 'href="/brand/00677f.css"' in html
    css = client.get("/brand/00677f.css")
    assert css["Content-Type"].startswith("text/css") and "immutable" in css["Cache-Control"]
    assert css.content.decode() == ":root{--brand:#00677f;--brand-dark:#00586c;--brand-soft:#e6f0f2}\n"
    logo = client.get(f"/brand/logo-{brand.logo_sha}.png")
    assert logo["Content-Type"] == "image/png" and Image.open(io.BytesIO(logo.content)).size == (128, 128)


def test_without_branding_the_portal_is_plain_promzona(demo, client):
    Branding.objects.all().delete()
    html = client.get("/").content.decode()
    assert "/brand/" not in html and '<span>promzona</span>' in html and 'href="data:,"' in html


def test_staff_upload_a_logo_that_is_re_encoded_and_audited(demo, staff_client):
    brand = Branding.objects.get()
    r = _post(staff_client, brand, logo=_png(comment="GPS 46.85 N"), colour="#1b6f8a")
    assert r.status_code == 302
    brand.refresh_from_db()
    stored = Image.open(io.BytesIO(bytes(brand.logo)))
    assert stored.format == "PNG" and stored.size == (300, 90) and stored.mode == "RGBA"
    assert "comment" not in stored.info  # the upload's metadata is gone
    entry = AuditEntry.objects.filter(action="branding.updated").latest("id")
    assert entry.after == {"colour": "#1b6f8a", "logo_sha": brand.logo_sha}
    assert staff_client.get(f"/brand/logo-{brand.logo_sha}.png").status_code == 200


def test_a_large_logo_is_fitted_into_the_box(demo, staff_client):
    brand = Branding.objects.get()
    _post(staff_client, brand, logo=_png((2000, 1000)))
    brand.refresh_from_db()
    assert Image.open(io.BytesIO(bytes(brand.logo))).size == (256, 128)


@pytest.mark.parametrize(("colour", "message"), [
    ("#ffd700", "contrast of 1.4:1"), ("#7fbfff", "contrast of 1.9:1"),
    ("blue", "#rrggbb"), ("#12345", "#rrggbb"), ("#0b5cad;}body{x", "#rrggbb"),
])
def test_a_colour_without_enough_contrast_or_form_is_refused(demo, staff_client, colour, message):
    brand = Branding.objects.get()
    before = AuditEntry.objects.count()
    r = _post(staff_client, brand, colour=colour)
    assert r.status_code == 200 and message in r.content.decode()
    assert Branding.objects.get().colour == brand.colour and AuditEntry.objects.count() == before


def _bomb() -> bytes:
    """A PNG declaring 20000 × 20000 pixels (400 megapixels) in a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("upload", [
    b"", b"not an image at all", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"GIF89a" + b"\x00" * 100, _png()[:60], b"\x89PNG" + b"x" * (2 * 1024 * 1024 + 10),
])
def test_an_upload_that_is_no_usable_logo_is_refused(demo, staff_client, upload):
    brand = Branding.objects.get()
    r = _post(staff_client, brand, logo=upload, colour="#1b6f8a")
    assert r.status_code == 200 and 'class="errorlist' in r.content.decode()
    after = Branding.objects.get()
    assert (after.logo_sha, after.colour) == (brand.logo_sha, brand.colour)


def test_a_decompression_bomb_is_refused_before_decoding(demo, staff_client):
    brand = Branding.objects.get()
    r = _post(staff_client, brand, logo=_bomb())
    assert r.status_code == 200 and "readable" in r.content.decode()
    assert Branding.objects.get().logo_sha == brand.logo_sha


def test_an_old_logo_address_is_gone_and_removing_the_logo_is_audited(demo, staff_client, client):
    brand = Branding.objects.get()
    old = brand.logo_sha
    assert _post(staff_client, brand, remove_logo="on").status_code == 302
    assert Branding.objects.get().logo_sha == ""
    assert client.get(f"/brand/logo-{old}.png").status_code == 404
    assert AuditEntry.objects.filter(action="branding.updated").latest("id").before == {"logo_sha": old}


def test_only_one_branding_can_be_added_and_deleting_it_is_audited(demo, staff_client):
    assert staff_client.get(reverse("admin:web_branding_add")).status_code == 403
    brand = Branding.objects.get()
    r = staff_client.post(reverse("admin:web_branding_delete", args=[brand.pk]), {"post": "yes"})
    assert r.status_code == 302 and not Branding.objects.exists()
    assert AuditEntry.objects.filter(action="branding.deleted").exists()
    assert staff_client.get(reverse("admin:web_branding_add")).status_code == 200


def test_others_cannot_edit_the_branding(demo, manager_client, investor_client):
    url = reverse("admin:web_branding_change", args=[Branding.objects.get().pk])
    assert manager_client.get(url).status_code == 302  # not staff: the admin's login
    assert investor_client.get(url).status_code == 302
