"""``promzona reports clean``: remove reports built more than a day ago (systemd timer)."""

from promzona.commands import PromzonaCommand
from promzona.ops.reports import reports_clean


class Command(PromzonaCommand):
    help = ("Report maintenance. 'clean' removes the reports asked for more than a day ago, "
            "their files included (each build also does).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["clean"])

    def handle(self, *args, action, **options):
        self.stdout.write(f"{reports_clean()} old report(s) removed.")
