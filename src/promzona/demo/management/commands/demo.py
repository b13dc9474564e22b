from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from promzona.commands import PromzonaCommand
from promzona.core.deadlines import month_ends
from promzona.dashboard.services import snapshots_take
from promzona.demo import balkhash, competition, execution


class Command(PromzonaCommand):
    help = "Migrate the database and load the illustrative Balkhash demo (idempotent)."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0, interactive=False)
        today = timezone.localdate()
        loaded = balkhash.load(today=today)
        if loaded:
            # The demo investors' notification emails would only clutter the console.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                competition.load(today=today)
            self.stdout.write(self.style.SUCCESS(
                "Loaded the Balkhash demo (illustrative data). Demo accounts are listed on the "
                "login page."))
        if execution.load(today=today):
            loaded = True
            self.stdout.write(self.style.SUCCESS(
                "Loaded the illustrative works and investor projects of the demo."))
        if loaded:  # the dashboard's trends, as the nightly `promzona snapshot` would store them
            snapshots_take(actor=None, days=month_ends(today, 12)[:-1], now=timezone.now())
        else:
            self.stdout.write("The Balkhash demo is already loaded; nothing changed.")
