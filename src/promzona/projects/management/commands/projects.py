"""``promzona projects warn``: tell staff and managers about newly overdue investor obligations
(cron or a systemd timer, daily)."""

from promzona.commands import PromzonaCommand
from promzona.projects.services import obligations_warn


class Command(PromzonaCommand):
    help = ("Investor projects. 'warn' notifies staff and managers (portal notice and email) of "
            "each obligation newly overdue, once.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["warn"])

    def handle(self, *args, action, **options):
        count = obligations_warn()
        self.stdout.write(f"{count} overdue obligation(s) announced.")
