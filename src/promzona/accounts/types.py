"""Who does a write: the type of every service's ``actor=``."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from promzona.accounts.models import User

#: The signed-in user (``request.user``, a token's user), an anonymous visitor where a public
#: page writes (a saved search, a comment), or ``None`` for the system (commands, the worker,
#: the demo loader). Audit entries record it as it is.
Actor: TypeAlias = "User | AnonymousUser | None"
