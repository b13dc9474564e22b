from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from promzona.core.language import written_in
from promzona.web import links

register = template.Library()


@register.filter
def km(metres):
    """Metres as kilometres with one decimal; a dash when unknown."""
    return "—" if metres is None else f"{metres / 1000:.1f}"


@register.filter
def qty(value):
    """A capacity without trailing zeros: 8.500 -> 8.5, 4500.000 -> 4500."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@register.filter
def money(value):
    """Whole tenge with thin spaces between thousands: 1250000 -> 1 250 000."""
    if value is None or value == "":
        return "—"
    return f"{float(value):,.0f}".replace(",", "\u202f")


@register.filter
def as_written(value):
    """Text shown as its author typed it (a name, a title, a comment), marked with the language
    it is written in when that is not the page's: ``<span lang="ru">…</span>`` on an English
    page (escaped either way)."""
    text = "" if value is None else str(value)
    lang = written_in(text)
    if lang is None or lang == (get_language() or "ru")[:2]:
        return text
    return format_html('<span lang="{}">{}</span>', lang, text)


register.filter("passport_url", links.passport_url)
register.filter("zone_url", links.zone_url)
register.filter("localised", links.localised)
