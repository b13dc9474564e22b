"""``promzona import FILE --layer plots --zone SLUG [--dry-run]``: import a GIS file."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import Progress

from promzona.commands import PromzonaCommand
from promzona.core.errors import PromzonaError
from promzona.core.geodata.layers import LAYERS, OLD_NAMES
from promzona.core.geodata.mapping import is_field_mapping
from promzona.geodata.rows import ImportRefused
from promzona.geodata.services import layer_import
from promzona.zones.models import Zone

#: A field mapping is a small JSON object; anything larger is not one.
MAX_MAPPING_BYTES = 100_000


class Command(PromzonaCommand):
    help = "Import plots, utility sources, lines or zones from a GIS file (dry run first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--layer", choices=(*LAYERS, *OLD_NAMES), default="plots")
        parser.add_argument("--zone", help="slug of the zone to import into")
        parser.add_argument("--source-layer", help="the file's layer to read, when it has several")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--crs", help="CRS of the file when it has none, e.g. EPSG:32643")
        parser.add_argument("--repair", action="store_true", help="repair invalid polygons")
        parser.add_argument("--mapping", help='JSON file {"our_field": "file_field"}')
        parser.add_argument("--user", help="username recorded in the audit trail")

    def handle(self, *args, **opts):
        console = Console(file=self.stdout._out, highlight=False)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        zone = None
        if opts["zone"]:
            zone = Zone.objects.filter(slug=opts["zone"]).first()
            if zone is None:
                raise CommandError(f"No zone with slug {opts['zone']!r}.")
        mapping = _mapping(opts["mapping"]) if opts["mapping"] else None
        actor = _staff(opts["user"]) if opts["user"] else None
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Checking rows", total=None)
            try:
                report = layer_import(
                    actor=actor, path=path, layer=opts["layer"], zone=zone,
                    dry_run=opts["dry_run"], crs=opts["crs"], repair=opts["repair"],
                    mapping=mapping, source_layer=opts["source_layer"],
                    progress=lambda n: bar.advance(task, n),
                    on_total=lambda total: bar.update(task, total=total), now=timezone.now(),
                )
            except ImportRefused as exc:
                report = exc.report
            except PromzonaError as exc:
                raise CommandError(exc.message) from exc
        for row in report.rows:
            if row.action == "refuse" or row.warnings:
                text = row.reason or "; ".join(row.warnings)
                console.print(f"row {row.row} {row.key}: {row.action} — {text}", markup=False)
        c = report.counts
        console.print(
            f"{report.layer} from {path.name} ({report.crs}): {c['create']} to create, "
            f"{c['update']} to update, {c['refuse']} refused.", markup=False,
        )
        if report.written:
            console.print("Imported.")
        elif report.dry_run:
            console.print("Dry run: nothing was written.")
        else:
            raise CommandError("Rows were refused: nothing was imported.")


def _mapping(path: str) -> dict:
    """The field mapping file: a small JSON object ``{"our_field": "file_field"}``."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_MAPPING_BYTES + 1)
        if len(raw) > MAX_MAPPING_BYTES:
            raise CommandError(f"The mapping is larger than {MAX_MAPPING_BYTES:,} bytes.")
        mapping = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise CommandError(f"Cannot read the mapping: {exc}") from exc
    if not is_field_mapping(mapping):
        raise CommandError('The mapping must be a JSON object {"our_field": "file_field"}.')
    return mapping


def _staff(username: str):
    """The active zone office staff member the import is recorded under."""
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(f"No user {username!r}.")
    if not (actor.is_zone_staff and actor.is_active):
        raise CommandError(f"{actor.get_username()} is not active zone office staff; "
                           "imports are recorded under a staff member's name.")
    return actor
