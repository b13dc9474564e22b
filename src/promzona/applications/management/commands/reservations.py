"""``promzona reservations expire [--now ISO]``: end reservations whose time is up (cron job)."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from promzona.applications.services import reservations_expire
from promzona.commands import PromzonaCommand


class Command(PromzonaCommand):
    help = "Reservation maintenance. 'expire' releases every reservation past its expiry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["expire"])
        parser.add_argument("--now", help="Pretend it is this ISO time (with a zone); for tests.")

    def handle(self, *args, action, now=None, **options):
        when = None
        if now:
            try:
                when = dt.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO date-time: {now!r}") from exc
            if timezone.is_naive(when):
                raise CommandError("--now needs a time zone, e.g. 2027-01-01T00:00:00+00:00")
            try:
                when = when.astimezone(dt.UTC)
            except OverflowError as exc:
                raise CommandError(f"--now: {now!r} is out of range in UTC") from exc
        count = reservations_expire(now=when)
        self.stdout.write(f"{count} reservation(s) expired.")
