"""Writes of the web app: the portal's branding."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record, changed, snapshot
from promzona.core.images import logo_png
from promzona.validation import validated

from .models import Branding

_AUDITED = ["name_ru", "name_kk", "name_en", "colour", "logo_sha"]


@transaction.atomic
def branding_save(*, actor: Actor, branding: Branding, logo: bytes | None = None,
                  remove_logo: bool = False, now: dt.datetime | None = None) -> Branding:
    """Validate and save the branding; ``logo``: an upload, re-encoded as PNG (see
    :func:`promzona.core.images.logo_png`). Audited ``branding.created|updated``; an invalid
    name, colour or logo raises :class:`InputError` and saves nothing."""
    before = None if branding._state.adding else snapshot(
        Branding.objects.select_for_update().get(pk=branding.pk), _AUDITED)
    if logo is not None:
        png = logo_png(logo).data
        branding.logo, branding.logo_sha = png, hashlib.sha256(png).hexdigest()[:16]
    elif remove_logo:
        branding.logo, branding.logo_sha = b"", ""
    validated(branding)
    branding.save()
    after = snapshot(branding, _AUDITED)
    if before is None:
        audit_record(actor=actor, action="branding.created", obj=branding, after=after, now=now)
    else:
        b, a = changed(before, after)
        if a:
            audit_record(actor=actor, action="branding.updated", obj=branding, before=b, after=a,
                         now=now)
    return branding


@transaction.atomic
def branding_delete(*, actor: Actor, branding: Branding, now: dt.datetime | None = None) -> None:
    """Back to the plain look; audited ``branding.deleted``."""
    audit_record(actor=actor, action="branding.deleted", obj=branding,
                 before=snapshot(branding, _AUDITED), now=now)
    branding.delete()
