"""Numbers, amounts and dates in the page's language (see :mod:`promzona.l10n`), text as
written, and links."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.core.language import written_in
from promzona.web import links

register = template.Library()


@register.filter
def num(value, digits=0):
    """``{{ x|num:2 }}``: two decimals with the language's separators; ``num:"-2"``: at most two
    (as Django's ``floatformat``)."""
    digits = int(digits)
    return l10n.num(value, abs(digits), trim=digits < 0)


@register.filter
def qty(value, unit=""):
    """``{{ free|qty:"kW" }}``: a capacity without trailing zeros, with its unit translated."""
    return l10n.qty(value, unit)


@register.filter
def signed(value, unit=""):
    """``{{ added|signed:"kW" }}``: ``+10 000 кВт``."""
    return l10n.signed(value, unit)


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


@register.simple_tag
def translated(obj, field: str):
    """``obj``'s ``field`` in the page's language; where that text is missing, the Russian
    original marked as such (``lang="ru"`` and a note), never passed off as a translation."""
    text = obj.translated(field)
    if not text or not obj.is_fallback(field):
        return text
    return format_html('<span lang="ru">{}</span> <small class="fallback">({})</small>', text,
                       _("in Russian"))


register.filter("money", l10n.money)
register.filter("km", l10n.km)
register.filter("unit", l10n.unit)
register.filter("day", l10n.day)
register.filter("month", l10n.month)
register.filter("moment", l10n.moment)
register.filter("passport_url", links.passport_url)
register.filter("zone_url", links.zone_url)
register.filter("localised", links.localised)
