"""View decorators for role checks: anonymous visitors go to the login page, others get 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Let through logged-in users whose role is one of ``roles`` (and superusers)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_superuser or getattr(user, "role", None) in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
