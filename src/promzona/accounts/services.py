"""Writes for users, organisations and the requests that tie them together.

A person registers with an organisation's identifier (a BIN, or a foreign country and
registration number); that makes a :class:`JoinRequest`, never an organisation. The zone office
approves it — the organisation is created or confirmed and the person joins it — or rejects it.
Only users of a confirmed organisation act for it (``User.acts_for_organisation``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from promzona.accounts.types import Actor
from promzona.audit.models import AuditEntry
from promzona.audit.services import audit_record, snapshot
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.core.organisations import HOME_COUNTRY
from promzona.outbox.services import absolute_link, mail_enqueue
from promzona.validation import validated

from . import throttle
from .models import JoinRequest, Organisation, Role, User, organisation_identifier

ZONE_OFFICE_GROUP = "Zone office"
# Staff edit the zone's data in the admin; these apps' models are theirs to edit (news: the
# rubrics and tags; articles and comments are read-only in the admin).
STAFF_APPS = ("zones", "accounts", "instructions", "news")
# Models of other apps that are the zone's parameters, edited in the admin like zone data.
STAFF_MODELS = (("projects", "obligationrule"), ("web", "branding"))
# Written only by the services (review pages, API, commands); staff see them in the admin.
# django_tasks_database: the background tasks (waiting, done, failed with the traceback).
VIEW_APPS = ("audit", "applications", "matching", "works", "projects", "outbox",
             "django_tasks_database")
# In the accounts app, but written only by services (the registrations queue, the throttle).
SERVICE_ONLY_MODELS = ("joinrequest", "attempt")
MAX_NOTE = 2000

VERIFY_SALT = "promzona.accounts.verify"
INVITE_SALT = "promzona.accounts.invite"
TOKEN_MAX_AGE = 3 * 24 * 3600


def staff_group() -> Group:
    """The zone office's group, its permissions set to the code's list (the admin shows it
    read-only); a change of that list is audited as ``group.updated`` by the system."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=ZONE_OFFICE_GROUP)
        perms = Permission.objects.filter(content_type__app_label__in=STAFF_APPS).exclude(
            codename__in=["add_user", "delete_user", "change_user"]
        ).exclude(content_type__model__in=SERVICE_ONLY_MODELS)
        for app_label, model in STAFF_MODELS:
            perms = perms | Permission.objects.filter(content_type__app_label=app_label,
                                                      content_type__model=model)
        view_only = Permission.objects.filter(content_type__app_label__in=VIEW_APPS,
                                              codename__startswith="view")
        service_only = Permission.objects.filter(content_type__app_label="accounts",
                                                 content_type__model="joinrequest",
                                                 codename__startswith="view")
        wanted = set(perms) | set(view_only) | set(service_only)
        held = set(group.permissions.all())
        if held != wanted:
            group.permissions.set(wanted)
            audit_record(actor=None, action="group.updated", obj=group,
                         before={"permissions": sorted(p.pk for p in held)},
                         after={"permissions": sorted(p.pk for p in wanted)})
    return group


def _send(subject: str, body: str, to: str, *, now: dt.datetime | None = None) -> None:
    mail_enqueue(to=[to], subject=subject, body=body, now=now)


def _require_staff(actor: Actor) -> None:
    """Zone office staff decide; ``actor=None`` is the system (the demo loader, commands)."""
    if actor is not None and not getattr(actor, "is_zone_staff", False):
        raise Forbidden(_("Only zone office staff may do this."))


def _note(note: Any, *, required: bool) -> str:
    text = note.strip() if isinstance(note, str) else ""
    if len(text) > MAX_NOTE or (required and not text):
        raise InputError(_("Write a note of 1 to 2000 characters: what you checked, or why."),
                         field="note")
    return text


def _identifier(country: str, number: str) -> tuple[str, str]:
    try:
        return organisation_identifier(country, number)
    except ValidationError as exc:
        raise InputError(exc.messages[0], field="number") from exc


# --- organisations and users ---------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: User | None, name: str, country: str = HOME_COUNTRY,
                        number: str, now: dt.datetime | None = None, **fields) -> Organisation:
    """A new, unconfirmed organisation identified by ``country`` and ``number`` (a BIN for
    Kazakhstan, else the registration number there)."""
    country, number = _identifier(country, number)
    ids = {"bin": number} if country == HOME_COUNTRY else {"registration_number": number}
    org = Organisation(name=name, country=country, **ids, **fields)
    validated(org)
    org.save()
    audit_record(actor=actor, action="organisation.created", obj=org, after=snapshot(org),
                 now=now)
    return org


def organisation_find(country: str, number: str) -> Organisation | None:
    """The organisation with this (normalised) identifier, if one is known."""
    if country == HOME_COUNTRY:
        return Organisation.objects.filter(bin=number).first()
    return Organisation.objects.filter(country=country, registration_number=number).first()


@transaction.atomic
def organisation_confirm(*, actor: User | None, organisation: Organisation, note: str,
                         now: dt.datetime | None = None) -> Organisation:
    """The zone office has checked that the organisation is who it says (``note``: the proof)."""
    _require_staff(actor)
    text = _note(note, required=True)
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if org.is_confirmed:
        raise Conflict(_("The organisation is confirmed already."))
    org.confirmed_at = now or timezone.now()
    org.confirmed_by = actor
    org.confirmation_note = text
    org.save(update_fields=["confirmed_at", "confirmed_by", "confirmation_note"])
    audit_record(actor=actor, action="organisation.confirmed", obj=org, now=org.confirmed_at,
                 before={"confirmed_at": None},
                 after={"confirmed_at": org.confirmed_at, "note": text})
    organisation.refresh_from_db()
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
    is_active: bool = True,
    now: dt.datetime | None = None,
) -> User:
    """Create a user with a role; staff join the zone office group and may use the admin."""
    now = now or timezone.now()
    user = User(
        username=username,
        email=email,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.STAFF,
        is_active=is_active,
        date_joined=now,
    )
    user.set_password(password)
    validated(user)
    user.save()
    if role == Role.STAFF:
        user.groups.add(staff_group())
    audit_record(
        actor=actor,
        action="user.created",
        obj=user,
        after=snapshot(user, fields=["username", "email", "role", "organisation", "is_active"]),
        now=now,
    )
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str | None, address: str | None,
                      actor: Actor = None, now: dt.datetime | None = None) -> User:
    """A new password, set by its user (from an emailed reset link, or knowing the old one) or,
    as ``actor``, by the zone office in the administration (``None``: password login switched
    off): saved, audited, and every login throttle on the account lifted — whoever sets it has
    proved the mailbox, the old password or their staff rights (see
    :func:`throttle.login_unlock`)."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor or user, action="user.password_set", obj=user, now=now,
                 after={"address": address, "usable": password is not None})
    throttle.login_unlock(username=user.get_username(), address=address, now=now)
    return user


# --- registration, verification ------------------------------------------------------------


def _verify_link(user: User) -> str:
    token = signing.dumps({"u": user.pk}, salt=VERIFY_SALT)
    return absolute_link(reverse("accounts:verify", args=[token]))


def _send_verification(user: User) -> None:
    _send(_("Confirm your promzona account"),
          _("Follow this link within three days to confirm your email address:\n\n%(url)s\n\n"
            "Then the zone office checks that you represent the organisation you named and "
            "confirms your registration; we will email you.")
          % {"url": _verify_link(user)}, user.email)


def _join_request_open(*, actor: Actor, user: User, organisation_name: str, country: str,
                       number: str, now: dt.datetime) -> JoinRequest:
    request = JoinRequest(user=user, organisation_name=organisation_name.strip(),
                          country=country, number=number, created_at=now,
                          language=translation.get_language() or settings.LANGUAGE_CODE)
    validated(request, exclude=["user"])
    request.save()
    audit_record(actor=actor, action="join_request.created", obj=request, now=now,
                 after=snapshot(request, fields=["user", "organisation_name", "country",
                                                 "number"]))
    return request


def investor_register(
    *, organisation_name: str, country: str, number: str, username: str, email: str,
    password: str, now: dt.datetime | None = None,
) -> None:
    """Register a person for an organisation: an inactive user (until the emailed link is
    followed) and a join request for the zone office, whether or not the identifier is known.

    A user name that is taken changes nothing: the address gets a mail saying so. Either way
    the caller sees the same answer after the same work (one password hash, one mail), so
    registration does not reveal which user names or organisations exist.
    """
    now = now or timezone.now()
    country, number = _identifier(country, number)
    user = None
    if not User.objects.filter(username__iexact=username).exists():
        try:
            with transaction.atomic():
                user = user_create(actor=None, username=username, password=password,
                                   role=Role.INVESTOR, email=email, is_active=False, now=now)
                _join_request_open(actor=None, user=user, organisation_name=organisation_name,
                                   country=country, number=number, now=now)
        except IntegrityError:  # taken by a simultaneous registration
            user = None
    if user is not None:
        _send_verification(user)
        return
    make_password(password)  # the same work as a registration
    _send(_("Your promzona registration"),
          _("Someone, perhaps you, tried to register at promzona with this address and the user "
            "name “%(username)s”, which is taken. If the account is yours, log in (%(login)s) or "
            "reset its password (%(reset)s). Otherwise register again with another user name: "
            "%(register)s")
          % {"username": username, "login": absolute_link(reverse("login")),
             "reset": absolute_link(reverse("password_reset")),
             "register": absolute_link(reverse("accounts:register"))}, email)


def _ever_verified(user: User) -> bool:
    return AuditEntry.objects.filter(action="user.verified", object_type=User._meta.label_lower,
                                     object_id=str(user.pk)).exists()


@transaction.atomic
def user_verify(*, token: str, now: dt.datetime | None = None) -> User:
    """Activate the user a verification token names; raise :class:`InputError` if it is bad."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=TOKEN_MAX_AGE)
        user = User.objects.select_for_update().get(pk=int(data["u"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist) as exc:
        raise InputError(_("This link is invalid or has expired.")) from exc
    if not user.is_active:
        if _ever_verified(user):
            # Verified once and deactivated since: an old link must not reactivate the account.
            raise Forbidden(_("This account has been deactivated; contact the zone office."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=user, action="user.verified", obj=user, after={"is_active": True},
                     now=now or timezone.now())
    return user


def verification_resend(*, email: str) -> int:
    """Send a fresh link to each account at ``email`` that has never been verified; the
    caller answers the same whether there is one or not. Returns the number sent."""
    waiting = [u for u in User.objects.filter(email__iexact=email, is_active=False,
                                              last_login__isnull=True).order_by("pk")[:5]
               if not _ever_verified(u)]
    with transaction.atomic():
        for user in waiting:
            _send_verification(user)
    return len(waiting)


# --- join requests ------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, actor: User, organisation_name: str, country: str, number: str,
                        now: dt.datetime | None = None) -> JoinRequest:
    """A logged-in investor without an organisation asks to join one (or to register it)."""
    if not (getattr(actor, "is_authenticated", False) and actor.role == Role.INVESTOR
            and actor.organisation_id is None):
        raise Forbidden(_("Only an investor without an organisation asks to join one."))
    country, number = _identifier(country, number)
    User.objects.select_for_update().get(pk=actor.pk)
    if actor.join_requests.filter(status=JoinRequest.Status.PENDING).exists():
        raise Conflict(_("Your earlier request is still with the zone office."))
    return _join_request_open(actor=actor, user=actor, organisation_name=organisation_name,
                              country=country, number=number, now=now or timezone.now())


def _decided(actor: Actor, request: JoinRequest) -> tuple[JoinRequest, User]:
    """Lock a pending request and its user (staff only)."""
    _require_staff(actor)
    request = JoinRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != JoinRequest.Status.PENDING:
        raise Conflict(_("This request has been decided already."))
    return request, User.objects.select_for_update().get(pk=request.user_id)


def _tell(request: JoinRequest, user: User, message: str, **params: str) -> None:
    """Mail the decision in the language the person registered in."""
    if user.email:
        with translation.override(request.language or settings.LANGUAGE_CODE):
            _send(_("Your promzona registration"), _(message) % params, user.email)


@transaction.atomic
def join_request_approve(*, actor: User | None, join_request: JoinRequest, note: str,
                         now: dt.datetime | None = None) -> Organisation:
    """The person joins the organisation the request names; an organisation not yet known is
    created, and one not yet confirmed is confirmed (``note``: the proof checked)."""
    now = now or timezone.now()
    text = _note(note, required=True)
    request, user = _decided(actor, join_request)
    if not user.is_active:
        raise Conflict(_("The person has not confirmed their email address yet, or the account "
                         "is deactivated."))
    if user.organisation_id is not None:
        raise Conflict(_("The person belongs to an organisation already."))
    org = organisation_find(request.country, request.number)
    if org is None:
        try:
            with transaction.atomic():
                org = organisation_create(actor=actor, name=request.organisation_name,
                                          country=request.country, number=request.number,
                                          email=user.email, now=now)
        except IntegrityError as exc:
            raise Conflict(_("The organisation was registered just now; reload and try "
                             "again.")) from exc
    if not org.is_confirmed:
        org = organisation_confirm(actor=actor, organisation=org, note=text, now=now)
    user.organisation = org
    user.save(update_fields=["organisation"])
    audit_record(actor=actor, action="user.joined", obj=user, now=now,
                 before={"organisation": None}, after={"organisation": org.pk})
    request.status, request.organisation = JoinRequest.Status.APPROVED, org
    request.decided_at, request.decided_by, request.note = now, actor, text
    request.save()
    audit_record(actor=actor, action="join_request.approved", obj=request, now=now,
                 before={"status": "pending"},
                 after={"status": "approved", "organisation": org.pk, "note": text})
    _tell(request, user, gettext_noop("The zone office has confirmed you as a user of %(org)s "
                                      "on promzona. You can now apply for plots."), org=org.name)
    return org


@transaction.atomic
def join_request_reject(*, actor: User | None, join_request: JoinRequest, note: str,
                        now: dt.datetime | None = None) -> JoinRequest:
    """The zone office could not confirm the person for the organisation (``note``: why)."""
    now = now or timezone.now()
    text = _note(note, required=True)
    request, user = _decided(actor, join_request)
    request.status = JoinRequest.Status.REJECTED
    request.decided_at, request.decided_by, request.note = now, actor, text
    request.save()
    audit_record(actor=actor, action="join_request.rejected", obj=request, now=now,
                 before={"status": "pending"}, after={"status": "rejected", "note": text})
    _tell(request, user, gettext_noop("The zone office did not confirm your registration for "
                                      "%(org)s: %(note)s"),
          org=request.organisation_name, note=text)
    return request


# --- invitations ---------------------------------------------------------------------------


@transaction.atomic
def colleague_invite(*, actor: User, email: str, now: dt.datetime | None = None) -> str:
    """Email a link by which a colleague joins the actor's (confirmed) organisation."""
    now = now or timezone.now()
    if not getattr(actor, "acts_for_organisation", False):
        raise Forbidden(_("Only users of a confirmed organisation invite colleagues."))
    token = signing.dumps({"o": actor.organisation_id, "e": email, "by": actor.pk},
                          salt=INVITE_SALT)
    audit_record(actor=actor, action="user.invited", obj=actor.organisation, after={"email": email},
                 now=now)
    _send(_("Join %(org)s on promzona") % {"org": actor.organisation.name},
          _("%(who)s invites you to %(org)s on promzona. Follow this link within three days:"
            "\n\n%(url)s") % {"who": actor.get_username(), "org": actor.organisation.name,
                              "url": absolute_link(reverse("accounts:join", args=[token]))},
          email, now=now)
    return token


def invitation_read(token: str) -> tuple[Organisation, str]:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=TOKEN_MAX_AGE)
        org = Organisation.objects.get(pk=int(data["o"]))
        email = str(data["e"])
        inviter = User.objects.filter(pk=int(data["by"]), organisation=org).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError,
            Organisation.DoesNotExist) as exc:
        raise InputError(_("This invitation is invalid or has expired.")) from exc
    if inviter is None or not inviter.acts_for_organisation:
        # The colleague who invited has left the organisation (or was deactivated).
        raise InputError(_("This invitation is no longer valid; ask a current colleague for a "
                           "new one."))
    return org, email


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str,
                      now: dt.datetime | None = None) -> User:
    """A confirmed member's invitation is the proof: the colleague joins at once."""
    org, email = invitation_read(token)
    if User.objects.filter(email__iexact=email, organisation=org).exists():
        raise Conflict(_("This invitation has been used already."))
    return user_create(actor=None, username=username, password=password, role=Role.INVESTOR,
                       email=email, organisation=org, now=now)
