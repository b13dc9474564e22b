from django import template

register = template.Library()


@register.filter
def percent(share):
    """A share as a percentage with one decimal: 0.2485 -> 24.8%; a dash when undefined."""
    return "—" if share is None or share == "" else f"{float(share) * 100:.1f}%"
