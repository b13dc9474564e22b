"""``promzona outbox send``: send the emails that are due, retrying failed ones (cron job)."""

from promzona.commands import PromzonaCommand
from promzona.outbox.services import outbox_send


class Command(PromzonaCommand):
    help = "Email outbox. 'send' sends what is due: new mail a failed attempt left, and retries."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])

    def handle(self, *args, action, **options):
        counts = outbox_send()
        self.stdout.write("{sent} sent, {retry} to retry later, {failed} failed.".format(**counts))
