"""Writes for users and organisations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from promzona.audit.models import AuditEntry
from promzona.audit.services import audit_record, snapshot
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.outbox.services import mail_enqueue

from .models import Organisation, Role, User

ZONE_OFFICE_GROUP = "Zone office"
# Staff edit the zone's data in the admin; these apps' models are theirs to edit (news: the
# rubrics and tags; articles and comments are read-only in the admin).
STAFF_APPS = ("zones", "accounts", "instructions", "news")
# Models of other apps that are the zone's parameters, edited in the admin like zone data.
STAFF_MODELS = (("projects", "obligationrule"),)
# Written only by the services (review pages, API, commands); staff see them in the admin.
VIEW_APPS = ("audit", "applications", "matching", "works", "projects", "outbox")


def staff_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ZONE_OFFICE_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=STAFF_APPS).exclude(
        codename__in=["add_user", "delete_user", "change_user"]
    )
    for app_label, model in STAFF_MODELS:
        perms = perms | Permission.objects.filter(content_type__app_label=app_label,
                                                  content_type__model=model)
    view_only = Permission.objects.filter(content_type__app_label__in=VIEW_APPS,
                                          codename__startswith="view")
    group.permissions.set(set(perms) | set(view_only))
    return group


@transaction.atomic
def organisation_create(*, actor: User | None, name: str, bin: str, **fields) -> Organisation:
    org = Organisation(name=name, bin=bin, **fields)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action="organisation.created", obj=org, after=snapshot(org))
    return org


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    email: str = "",
    organisation: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user with a role; staff join the zone office group and may use the admin."""
    user = User(
        username=username,
        email=email,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.STAFF,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if role == Role.STAFF:
        user.groups.add(staff_group())
    audit_record(
        actor=actor,
        action="user.created",
        obj=user,
        after=snapshot(user, fields=["username", "email", "role", "organisation"]),
    )
    return user


# --- self-registration, email verification, invitations ---------------------------------------

VERIFY_SALT = "promzona.accounts.verify"
INVITE_SALT = "promzona.accounts.invite"
TOKEN_MAX_AGE = 3 * 24 * 3600


def _send(subject: str, body: str, to: str) -> None:
    mail_enqueue(to=[to], subject=subject, body=body)


@transaction.atomic
def investor_register(
    *, organisation_name: str, bin: str, username: str, email: str, password: str,
    verify_url: Any,
) -> User:
    """An organisation and its first user, inactive until the emailed link is followed.

    ``verify_url(token)`` builds the absolute link.
    """
    org = organisation_create(actor=None, name=organisation_name, bin=bin, email=email)
    user = user_create(actor=None, username=username, password=password, role=Role.INVESTOR,
                       email=email, organisation=org)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    token = signing.dumps({"u": user.pk}, salt=VERIFY_SALT)
    _send(_("Confirm your promzona account"),
          _("Follow this link within three days to activate your account:\n\n%(url)s")
          % {"url": verify_url(token)}, email)
    return user


@transaction.atomic
def user_verify(*, token: str) -> User:
    """Activate the user a verification token names; raise :class:`InputError` if it is bad."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=TOKEN_MAX_AGE)
        user = User.objects.select_for_update().get(pk=int(data["u"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist) as exc:
        raise InputError(_("This link is invalid or has expired.")) from exc
    if not user.is_active:
        if AuditEntry.objects.filter(action="user.verified", object_type=User._meta.label_lower,
                                     object_id=str(user.pk)).exists():
            # Verified once and deactivated since: an old link must not reactivate the account.
            raise Forbidden(_("This account has been deactivated; contact the zone office."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=user, action="user.verified", obj=user, after={"is_active": True})
    return user


@transaction.atomic
def colleague_invite(*, actor: User, email: str, join_url: Any) -> str:
    """Email a link by which a colleague joins the actor's organisation."""
    if not (actor.is_authenticated and actor.role == Role.INVESTOR and actor.organisation_id):
        raise Forbidden(_("Only an investor's users invite colleagues."))
    token = signing.dumps({"o": actor.organisation_id, "e": email, "by": actor.pk},
                          salt=INVITE_SALT)
    audit_record(actor=actor, action="user.invited", obj=actor.organisation, after={"email": email})
    _send(_("Join %(org)s on promzona") % {"org": actor.organisation.name},
          _("%(who)s invites you to %(org)s on promzona. Follow this link within three days:"
            "\n\n%(url)s") % {"who": actor.get_username(), "org": actor.organisation.name,
                              "url": join_url(token)}, email)
    return token


def invitation_read(token: str) -> tuple[Organisation, str]:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=TOKEN_MAX_AGE)
        org = Organisation.objects.get(pk=int(data["o"]))
        email = str(data["e"])
        inviter = int(data["by"])
    except (signing.BadSignature, KeyError, TypeError, ValueError,
            Organisation.DoesNotExist) as exc:
        raise InputError(_("This invitation is invalid or has expired.")) from exc
    if not User.objects.filter(pk=inviter, is_active=True, role=Role.INVESTOR,
                               organisation=org).exists():
        # The colleague who invited has left the organisation (or was deactivated).
        raise InputError(_("This invitation is no longer valid; ask a current colleague for a "
                           "new one."))
    return org, email


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    org, email = invitation_read(token)
    if User.objects.filter(email__iexact=email, organisation=org).exists():
        raise Conflict(_("This invitation has been used already."))
    return user_create(actor=None, username=username, password=password, role=Role.INVESTOR,
                       email=email, organisation=org)
