from django import template

register = template.Library()


@register.filter
def km(metres):
    """Metres as kilometres with one decimal; a dash when unknown."""
    return "—" if metres is None else f"{metres / 1000:.1f}"
