"""``promzona restore ARCHIVE``: a backup back into the configured database and media."""

from pathlib import Path

from django.core.management.base import CommandError

from promzona.commands import PromzonaCommand
from promzona.core.errors import PromzonaError
from promzona.ops.backup import backup_restore


class Command(PromzonaCommand):
    help = ("Restore a backup made by 'promzona backup' into the configured database (a fresh "
            "one, unless --replace) and the media folder.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--replace", action="store_true",
                            help="overwrite a database that already holds promzona's data")

    def handle(self, *args, archive, replace, **options):
        try:
            manifest = backup_restore(archive=archive, replace=replace)
        except (PromzonaError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored the backup of {manifest['created_at']} "
                          f"({manifest['engine']}).")
