from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from promzona.api.models import ApiToken
from promzona.api.services import token_create, token_revoke
from promzona.commands import PromzonaCommand


class Command(PromzonaCommand):
    help = "Issue, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for USERNAME.")
        create.add_argument("username")
        create.add_argument("--name", default="")
        lst = sub.add_parser("list", help="List a user's tokens (never the tokens themselves).")
        lst.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke the token with this id.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action, **opts):
        if action == "create":
            user = self._user(opts["username"])
            self.stdout.write(token_create(actor=None, user=user, name=opts["name"]))
        elif action == "list":
            for t in ApiToken.objects.filter(user=self._user(opts["username"])):
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t{state}")
        else:
            token_revoke(actor=None, token_id=opts["token_id"])
            self.stdout.write(f"Token {opts['token_id']} revoked.")

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user
