from django import template

from promzona import l10n

register = template.Library()

#: Whole tenge in the page's language (the same as the ``portal`` library's ``money``).
register.filter("kzt", l10n.money)
