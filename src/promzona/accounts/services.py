"""Writes for users and organisations."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from promzona.audit.services import audit_record, snapshot

from .models import Organisation, Role, User

ZONE_OFFICE_GROUP = "Zone office"
# Staff edit the zone's data in the admin; these apps' models are theirs to edit.
STAFF_APPS = ("zones", "accounts")


def staff_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ZONE_OFFICE_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=STAFF_APPS).exclude(
        codename__in=["add_user", "delete_user", "change_user"]
    )
    audit_view = Permission.objects.filter(content_type__app_label="audit", codename__startswith="view")
    group.permissions.set(list(perms) + list(audit_view))
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
