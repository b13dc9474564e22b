"""Readers' comments: pre-moderated, with offline anti-spam rules, and their moderation.

A comment is refused (nothing stored) when the article is not public or closed to comments,
the address is banned, or the form fails the guards of :mod:`promzona.web.antispam` (the
honeypot is filled; it was sent within seconds of being shown, or its token is forged or older
than a day), the text carries more than :data:`MAX_LINKS` links, or the address already wrote
:data:`RATE_LIMIT` comments within :data:`RATE_WINDOW`. An accepted comment waits, invisible,
until the newsroom approves it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record
from promzona.core import richtext
from promzona.core.errors import Conflict, Forbidden, InputError, NotFound
from promzona.web import antispam

from .models import Article, BannedAddress, Comment
from .services import require_newsroom

MAX_LINKS = 2
RATE_LIMIT = 3
RATE_WINDOW = dt.timedelta(minutes=10)


def form_token(*, article: Article, now: dt.datetime) -> str:
    """A signed note of when the form for ``article`` was shown."""
    return antispam.form_token(purpose=f"article:{article.pk}", now=now)


@transaction.atomic
def comment_post(*, article: Article, name: str, text: str, email: str = "", honeypot: str = "",
                 token: str, address: str | None, now: dt.datetime) -> Comment:
    """Store a reader's comment, pending moderation, or refuse it with the reason."""
    from .selectors import is_public

    if not is_public(article, now=now):
        raise NotFound(_("No such article."))
    if not article.comments_open:
        raise Conflict(_("Comments on this article are closed."))
    if address and BannedAddress.objects.filter(address=address).exists():
        raise Forbidden(_("Comments from your address are not accepted."))
    antispam.honeypot_check(honeypot)
    antispam.form_token_check(token, purpose=f"article:{article.pk}", now=now)
    name, text, email = richtext.plain(name), richtext.plain_block(text), richtext.plain(email)
    if not name or len(name) > 80:
        raise InputError(_("Give a name of 1 to 80 characters."), field="name")
    if not text or len(text) > 3000:
        raise InputError(_("Write a comment of 1 to 3,000 characters."), field="text")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InputError(_("This email address is not valid."), field="email") from None
    if richtext.count_links(text) + richtext.count_links(name) > MAX_LINKS:
        raise InputError(_("A comment may carry at most two links."), field="text")
    if address and Comment.objects.filter(address=address,
                                          created_at__gt=now - RATE_WINDOW).count() >= RATE_LIMIT:
        raise Conflict(_("You have commented several times in the last minutes; please wait a "
                         "little before writing again."))
    comment = Comment.objects.create(article=article, name=name, email=email, text=text,
                                     address=address, created_at=now)
    audit_record(actor=None, action="comment.posted", obj=comment, now=now,
                 after={"article": article.pk, "address": address})
    return comment


@transaction.atomic
def comment_moderate(*, actor: Actor, comment: Comment, decision: str, now: dt.datetime) -> Comment:
    """Approve (shown from now on) or reject a comment; either may be reversed later."""
    require_newsroom(actor)
    status = {"approve": Comment.Status.APPROVED, "reject": Comment.Status.REJECTED}.get(decision)
    if status is None:
        raise InputError(_("Unknown decision."), field="decision")
    before = comment.status
    Comment.objects.filter(pk=comment.pk).update(status=status, moderated_at=now,
                                                 moderated_by=actor)
    comment.status, comment.moderated_at, comment.moderated_by = status, now, actor
    audit_record(actor=actor, action=f"comment.{status}", obj=comment, now=now,
                 before={"status": before}, after={"status": status})
    return comment


@transaction.atomic
def address_ban(*, actor: Actor, address: str | None, now: dt.datetime) -> int:
    """Refuse further comments from ``address``; its comments awaiting moderation are
    rejected. Returns how many were rejected."""
    require_newsroom(actor)
    if not address:
        raise InputError(_("This comment has no address to ban."), field="address")
    ban, created = BannedAddress.objects.get_or_create(
        address=address, defaults={"created_at": now, "created_by": actor})
    rejected = Comment.objects.filter(address=address, status=Comment.Status.PENDING).update(
        status=Comment.Status.REJECTED, moderated_at=now, moderated_by=actor)
    if created or rejected:
        audit_record(actor=actor, action="comment.address_banned", obj=ban, now=now,
                     after={"address": address, "rejected": rejected})
    return rejected
