"""``promzona export --layer plots --format gpkg|geojson|shp|kml|csv -o FILE``; the layers are
:data:`promzona.core.geodata.layers.LAYERS` (earlier names still read)."""

from django.core.management.base import CommandError

from promzona.commands import PromzonaCommand
from promzona.core.geodata.layers import LAYERS, OLD_NAMES, layer_name
from promzona.geodata.export import EXPORT_FORMATS, layer_export
from promzona.geodata.selectors import layer_objects


class Command(PromzonaCommand):
    help = "Export a layer (all objects, including drafts) to a GIS file."

    def add_arguments(self, parser):
        parser.add_argument("--layer", choices=(*LAYERS, *OLD_NAMES), default="plots")
        parser.add_argument("--format", choices=list(EXPORT_FORMATS), required=True)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--zone", help="only this zone (slug)")

    def handle(self, *args, **opts):
        try:
            layer = layer_name(opts["layer"])
            objs = layer_objects(layer, user=None, staff=True, zone_slug=opts["zone"])
            path = layer_export(objects=objs, layer=layer, fmt=opts["format"],
                                path=opts["output"])
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {len(objs)} {layer} to {path}.")
