from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

from promzona.zones.models import Zone

from .links import logo_url
from .models import DEFAULT_COLOUR, Branding


def _alternates(request) -> list[dict]:
    """This page in each language (``translated``: the same page; otherwise, on an address that
    has no language versions, the home page of that language)."""
    here = request.get_full_path()
    current = get_language()
    out = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(here, code)
        translated = code == current or url != here
        if not translated:
            with override(code):
                url = reverse("web:home")
        out.append({"code": code, "url": url, "absolute": _absolute(request, url),
                    "name": get_language_info(code)["name_local"], "current": code == current,
                    "translated": translated})
    return out


def _absolute(request, url: str) -> str:
    """``url`` with the request's scheme and host; as it is where the Host was refused (the
    400 page of that refusal still renders)."""
    try:
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url


def _brand() -> dict:
    """The name, logo and colour style sheet the pages show (plain promzona without branding)."""
    branding = Branding.objects.first()
    if branding is None:
        return {"name": "promzona", "logo_url": "", "icon_url": "data:,", "css_url": ""}
    logo = logo_url(branding)
    colour = branding.colour.lstrip("#").lower()
    return {"name": branding.name or "promzona", "logo_url": logo, "icon_url": logo or "data:,",
            "css_url": reverse("brand-css", args=[colour])
            if branding.colour.lower() != DEFAULT_COLOUR else ""}


def site(request):
    """What every page needs: whether illustrative (demo) data is shown, the brand, the
    page in the other languages (switcher and hreflang). Worked out once per request (a page
    rendered in parts runs the context processors for each part)."""
    if not hasattr(request, "_site_context"):
        request._site_context = _site(request)
    return request._site_context


def _site(request) -> dict:
    alternates = _alternates(request)
    return {
        "brand": _brand(),
        "illustrative_data": Zone.objects.filter(is_illustrative=True).exists(),
        "language_links": alternates,
        "hreflang": alternates if all(a["translated"] for a in alternates) else [],
    }
