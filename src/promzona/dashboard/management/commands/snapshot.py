import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from promzona.commands import PromzonaCommand
from promzona.core.deadlines import month_ends
from promzona.dashboard.services import snapshots_take

MAX_MONTHS = 120


class Command(PromzonaCommand):
    help = ("Store the figures of every zone at the end of each of the last months (the trend "
            "charts read them); run nightly, so records entered late reach the trends.")

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12,
                            help=f"How many past month ends (1-{MAX_MONTHS}; default 12).")
        parser.add_argument("--today", type=dt.date.fromisoformat,
                            help="Pretend another day (YYYY-MM-DD), for tests.")

    def handle(self, *args, months: int, today: dt.date | None, **options):
        if not 1 <= months <= MAX_MONTHS:
            raise CommandError(f"--months must be 1 to {MAX_MONTHS}.")
        today = today or timezone.localdate()
        if not dt.date(2000, 1, 1) <= today <= timezone.localdate():
            raise CommandError("--today must lie between 2000-01-01 and today.")
        days = month_ends(today, months)[:-1]
        count = snapshots_take(actor=None, days=days)
        self.stdout.write(f"{count} snapshot(s) stored for {len(days)} month end(s), "
                          f"{days[0].isoformat()} to {days[-1].isoformat()}.")
