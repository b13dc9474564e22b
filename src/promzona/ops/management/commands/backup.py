"""``promzona backup``: the database and uploaded files into one archive (daily timer)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from promzona.commands import PromzonaCommand
from promzona.core.errors import PromzonaError
from promzona.ops.backup import backup_create


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(PromzonaCommand):
    help = ("Back up the database (pg_dump, or SQLite's online backup) and the uploaded files "
            "into DIR/promzona-<time>.tar, keeping the newest N.")

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=None,
                            help="where to write (PROMZONA_BACKUP_DIR, or var/backups)")
        parser.add_argument("--keep", type=_positive, default=14,
                            help="how many backups to keep (14)")

    def handle(self, *args, output_dir, keep, **options):
        try:
            path = backup_create(directory=output_dir or settings.PROMZONA_BACKUP_DIR, keep=keep)
        except (PromzonaError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path))
