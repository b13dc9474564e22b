"""The admin: organisations the zone office enters are confirmed, join requests are read-only,
user edits are audited."""

from __future__ import annotations

from django.urls import reverse

from promzona.accounts import services
from promzona.accounts.models import JoinRequest, Organisation, User
from promzona.audit.models import AuditEntry

from .test_join_requests import _registrant


def test_an_organisation_entered_in_the_admin_is_confirmed_and_join_requests_are_read_only(
        staff_client, staff_user):
    r = staff_client.post(reverse("admin:accounts_organisation_add"), {
        "name": "Admin LLP", "country": "DE", "bin": "", "registration_number": "hrb 777",
        "address": "", "email": "", "phone": "", "website": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    org = Organisation.objects.get(name="Admin LLP")
    assert org.registration_number == "HRB777" and org.bin is None
    assert org.is_confirmed and org.confirmed_by == staff_user
    request = _registrant("via-admin")
    url = reverse("admin:accounts_joinrequest_change", args=[request.pk])
    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"status": "approved"})
    assert JoinRequest.objects.get(pk=request.pk).status == "pending"
    assert staff_client.get(reverse("admin:accounts_joinrequest_add")).status_code == 403


def test_a_user_edited_in_the_admin_is_audited(client, demo):
    admin = services.user_create(actor=None, username="root", password="root-password-2026",
                                 role="staff", email="root@example.org")
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    client.force_login(User.objects.get(pk=admin.pk))
    user = User.objects.get(username="demo-investor2")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(is_active="", groups=[], user_permissions=[], organisation=user.organisation_id,
                last_login_0="", last_login_1="", date_joined_0="2026-01-01",
                date_joined_1="00:00:00")
    r = client.post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    assert not User.objects.get(pk=user.pk).is_active
    entry = AuditEntry.objects.get(action="user.updated", object_id=str(user.pk))
    assert entry.actor_id == admin.pk and entry.after["is_active"] is False


def _root(client):
    root = User.objects.create_superuser("group-root", "group-root@example.org",
                                         "a-long-admin-password-2026")
    client.force_login(root)
    return client


def test_the_zone_office_group_is_read_only_in_the_admin_and_other_groups_are_not(client, demo):
    from django.contrib.auth.models import Group

    client = _root(client)
    office = services.staff_group()
    held = set(office.permissions.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[office.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(url, {"name": "renamed", "permissions": []}).status_code == 403
    assert client.post(reverse("admin:auth_group_delete", args=[office.pk]),
                       {"post": "yes"}).status_code == 403
    office.refresh_from_db()
    assert office.name == services.ZONE_OFFICE_GROUP
    assert set(office.permissions.values_list("pk", flat=True)) == held
    other = Group.objects.create(name="Auditors")
    assert b'name="_save"' in client.get(
        reverse("admin:auth_group_change", args=[other.pk])).content


def test_setting_the_zone_office_permissions_again_is_audited_only_when_it_changes_them(demo):
    office = services.staff_group()
    lost = office.permissions.order_by("pk").first()
    office.permissions.remove(lost)
    n = AuditEntry.objects.filter(action="group.updated").count()
    services.staff_group()
    entries = AuditEntry.objects.filter(action="group.updated")
    assert entries.count() == n + 1
    entry = entries.latest("pk")
    assert entry.actor is None and lost.pk in entry.after["permissions"]
    assert lost.pk not in entry.before["permissions"]
    assert office.permissions.filter(pk=lost.pk).exists()
    services.staff_group()
    assert AuditEntry.objects.filter(action="group.updated").count() == n + 1
