"""Authentication for the API: a Bearer token, or the browser's session (with CSRF)."""

from ninja.security import HttpBearer, django_auth

from .services import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class Anonymous:
    """Lets a call through without credentials; the view decides what anonymous may see.

    A call that offers credentials which the other methods refused (a bad or revoked token)
    is not anonymous: it gets 401.
    """

    def __call__(self, request):
        return not request.headers.get("Authorization")


#: Public calls: a token or a session identifies the caller when present.
OPTIONAL_AUTH = [TokenAuth(), django_auth, Anonymous()]
#: Calls that need a known caller.
REQUIRED_AUTH = [TokenAuth(), django_auth]
