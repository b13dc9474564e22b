from django.conf import settings

from promzona.zones.models import Zone


def site(request):
    """What every page needs: whether illustrative (demo) data is shown, the tile URL."""
    return {
        "illustrative_data": Zone.objects.filter(is_illustrative=True).exists(),
        "tile_url": settings.PROMZONA_TILE_URL,
    }
