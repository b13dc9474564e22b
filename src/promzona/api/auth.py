"""Authentication for the API: a Bearer token, or the browser's session (with CSRF)."""

from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from .services import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session, with its CSRF check — tried only for a logged-in caller offering
    no token, so an anonymous or bad-token call is 401, never a CSRF 403."""

    def __call__(self, request):
        if request.headers.get("Authorization") or not request.user.is_authenticated:
            return None
        return super().__call__(request)


class Anonymous:
    """Lets a call through without credentials; the view decides what anonymous may see.

    A call that offers credentials which the other methods refused (a bad or revoked token)
    is not anonymous: it gets 401.
    """

    def __call__(self, request):
        return not request.headers.get("Authorization")


#: Public calls: a token or a session identifies the caller when present.
OPTIONAL_AUTH = [TokenAuth(), SessionAuth(), Anonymous()]
#: Calls that need a known caller.
REQUIRED_AUTH = [TokenAuth(), SessionAuth()]
