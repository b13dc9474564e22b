"""``promzona instructions remind [--today YYYY-MM-DD]``: the daily digest (cron/systemd timer)."""

import datetime as dt

from django.core.management.base import CommandError

from promzona.commands import PromzonaCommand
from promzona.instructions.reminders import reminders_send


class Command(PromzonaCommand):
    help = ("Instructions. 'remind' mails each executor and controller what is overdue and due "
            "within 3 days, at most once a day.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD); for tests.")

    def handle(self, *args, action, today=None, **options):
        day = None
        if today is not None:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: not a date (YYYY-MM-DD): {today[:40]!r}") from exc
        count = reminders_send(today=day)
        self.stdout.write(f"{count} digest(s) sent.")
