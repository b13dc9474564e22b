"""``promzona imports clean``: remove import files a crash left behind (cron or systemd timer)."""

from promzona.commands import PromzonaCommand
from promzona.geodata.uploads import imports_clean


class Command(PromzonaCommand):
    help = ("Import maintenance. 'clean' removes previews never confirmed (older than an hour) "
            "and unpacking folders left by a crashed reading.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["clean"])

    def handle(self, *args, action, **options):
        removed = imports_clean()
        for path in removed:
            self.stdout.write(f"removed {path}")
        self.stdout.write(f"{len(removed)} left-over import file(s) removed.")
