from django import template

register = template.Library()


@register.filter
def kzt(value) -> str:
    """1234567.8 → '1 234 568' (thin spaces: readable in ru, kk and en)."""
    try:
        return f"{float(value):,.0f}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return ""
