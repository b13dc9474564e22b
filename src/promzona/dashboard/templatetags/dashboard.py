from django import template

from promzona import l10n
from promzona.core import formats

register = template.Library()


@register.filter
def figure(value, kind="count"):
    """``{{ f.land.occupancy_share|figure:"share" }}``: a figure as the report writes it too
    (:func:`promzona.core.formats.figure`, in the page's language)."""
    return formats.figure(value, kind, l10n.lang())
