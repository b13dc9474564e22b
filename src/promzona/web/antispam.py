"""Offline guards for forms anyone may send (news comments, enquiries to the zone office).

A form carries a signed note of what it is for and when it was shown: a robot that posts at
once, replays an old form or moves a form to another purpose is refused; a hidden *honeypot*
field (styled away, ``class="hp"``) catches robots that fill in every field.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils.translation import gettext as _

from promzona.core.errors import InputError

MIN_FILL_SECONDS = 3
MAX_FORM_AGE = dt.timedelta(days=1)
SALT = "promzona.form-shown"


def form_token(*, purpose: str, now: dt.datetime) -> str:
    """A signed note that the form for ``purpose`` (e.g. ``article:12``) was shown at ``now``."""
    return signing.dumps({"p": purpose, "t": now.timestamp()}, salt=SALT)


def form_token_check(token: str, *, purpose: str, now: dt.datetime) -> None:
    """Refuse (:class:`InputError` on ``token``) a forged, foreign, stale or too quick form."""
    try:
        data = signing.loads(str(token or "")[:500], salt=SALT)
        shown = float(data["t"])
        same = data["p"] == purpose
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InputError(_("The form has expired; reload the page and write again."),
                         field="token") from None
    elapsed = now.timestamp() - shown
    if not same or elapsed > MAX_FORM_AGE.total_seconds() or elapsed < -60:
        raise InputError(_("The form has expired; reload the page and write again."),
                         field="token")
    if elapsed < MIN_FILL_SECONDS:
        raise InputError(_("That was too fast for a person; wait a few seconds and send again."),
                         field="token")


def honeypot_check(value: str) -> None:
    """The field people do not see must stay empty."""
    if value:
        raise InputError(_("Leave the last field empty; it is a trap for robots."),
                         field="website")
