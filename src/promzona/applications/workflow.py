"""What the application and reservation services share: who may act, the row lock, and the
comment plus email that tells the investor what happened."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from promzona.accounts.selectors import acts_for
from promzona.accounts.types import Actor
from promzona.core.errors import Forbidden
from promzona.outbox.services import mail_enqueue

from .models import Application, Comment
from .selectors import is_reviewer

# --- roles ---------------------------------------------------------------------------------


def require_member(actor: Actor, app: Application) -> None:
    """Only an investor of the application's organisation acts for it."""
    if not acts_for(actor, app.organisation_id):
        raise Forbidden(_("Only the applicant organisation's users may do this."))


def require_reviewer(actor: Actor) -> None:
    if not is_reviewer(actor):
        raise Forbidden(_("Only zone office staff may do this."))


def locked(app: Application) -> Application:
    """Re-read ``app`` in place inside the transaction, locking its row where the database can."""
    app.refresh_from_db(from_queryset=Application.objects.select_for_update())
    return app


# --- notifications -------------------------------------------------------------------------


def site_language():
    """Comments and emails are written in the site's language, whoever triggers them."""
    return translation.override(settings.LANGUAGE_CODE)


def notify(*, actor: Actor, app: Application, transition: str, body: str, now: dt.datetime) -> None:
    """A comment the investor sees, and an email to the organisation's users after commit."""
    author = actor if getattr(actor, "is_authenticated", False) else None
    Comment.objects.create(
        application=app, author=author, body=body, transition=transition, created_at=now
    )
    recipients = sorted(
        {u.email for u in app.organisation.users.filter(is_active=True) if u.email}
    )
    if not recipients:
        return
    with site_language():
        subject = _("Application #%(id)s “%(name)s”: %(status)s") % {
            "id": app.pk, "name": app.project_name[:80], "status": app.get_status_display(),
        }
    mail_enqueue(to=recipients, subject=subject, body=body, now=now)
