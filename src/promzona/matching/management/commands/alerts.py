"""``promzona alerts``: re-run saved searches and announce new matches (for cron)."""

from promzona.commands import PromzonaCommand

from ...services import alerts_run


class Command(PromzonaCommand):
    help = "Re-run every saved search; email and notify each new matching plot once."

    def handle(self, *args, **opts):
        sent = alerts_run()
        self.stdout.write(f"{sent} alert(s) sent.")
