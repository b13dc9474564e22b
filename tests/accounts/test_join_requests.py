"""The zone office confirms organisations and the people who act for them, on the
registrations page; until then a registrant may read but not act."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from promzona.accounts import services
from promzona.accounts.models import JoinRequest, Organisation, Role, User
from promzona.applications import services as app_services
from promzona.audit.models import AuditEntry
from promzona.core.errors import Conflict, Forbidden, InputError

PASSWORD = "steel-and-copper-27"


def _registrant(username, *, number="180140005227", country="KZ", name="Балхаш Металл",
                verified=True, language="en") -> JoinRequest:
    """A registration as the page makes it (through the service)."""
    with translation.override(language):
        services.investor_register(organisation_name=name, country=country, number=number,
                                   username=username, email=f"{username}@example.kz",
                                   password=PASSWORD)
    if verified:
        User.objects.filter(username=username).update(is_active=True)
    return JoinRequest.objects.get(user__username=username)


def _actions(obj) -> list[str]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower,
                                          object_id=str(obj.pk)).order_by("at", "pk")
                .values_list("action", flat=True))


def test_approving_a_new_identifier_registers_and_confirms_the_organisation(
        staff_user, django_capture_on_commit_callbacks):
    request = _registrant("kupfer", country="DE", number="HRB 12345", name="Kupfer GmbH",
                          language="kk")
    with django_capture_on_commit_callbacks(execute=True):
        org = services.join_request_approve(actor=staff_user, join_request=request,
                                            note="Handelsregister extract, checked by phone")
    assert (org.country, org.bin, org.registration_number) == ("DE", None, "HRB12345")
    assert org.is_confirmed and org.confirmed_by == staff_user
    assert org.confirmation_note == "Handelsregister extract, checked by phone"
    user = User.objects.get(username="kupfer")
    assert user.organisation == org and user.acts_for_organisation
    request.refresh_from_db()
    assert (request.status, request.organisation, request.decided_by) == (
        "approved", org, staff_user)
    assert _actions(org) == ["organisation.created", "organisation.confirmed"]
    assert _actions(request) == ["join_request.created", "join_request.approved"]
    assert "user.joined" in _actions(user)
    assert mail.outbox[-1].to == ["kupfer@example.kz"]
    message = ("The zone office has confirmed you as a user of %(org)s on promzona. You can "
               "now apply for plots.")
    with translation.override("kk"):  # the language the person registered in
        assert mail.outbox[-1].body == translation.gettext(message) % {"org": "Kupfer GmbH"}
    assert "zone office" not in mail.outbox[-1].body
    # The person now acts: an application.
    app = app_services.application_create(actor=user, project_name="Wire", sector="C25",
                                          investment_kzt=1, jobs_planned=1)
    assert app.organisation == org


def test_approving_a_claimed_identifier_adds_the_person_to_that_organisation(staff_user):
    request = _registrant("colleague")
    org = services.join_request_approve(actor=staff_user, join_request=request, note="Called the CEO")
    assert org == Organisation.objects.get(bin="180140005227")
    assert org.confirmation_note != "Called the CEO"  # confirmed before, by the demo
    assert User.objects.get(username="colleague").acts_for_organisation


def test_a_squatter_never_gets_the_company(staff_user, db):
    """Someone registers a company's BIN first; the real company registers after."""
    from promzona.core.kz_bin import bin_check_digit

    head = "20014000123"
    number = head + str(bin_check_digit(head))
    squatter = _registrant("squatter", number=number, name="Fake LLP")
    real = _registrant("realco", number=number, name="Real LLP")
    assert not Organisation.objects.filter(bin=number).exists()
    user = User.objects.get(username="squatter")
    assert not user.acts_for_organisation
    with pytest.raises(Forbidden):
        app_services.application_create(actor=user, project_name="X", sector="C25",
                                         investment_kzt=1, jobs_planned=1)
    services.join_request_reject(actor=staff_user, join_request=squatter, note="No proof given")
    org = services.join_request_approve(actor=staff_user, join_request=real, note="State register")
    assert org.name == "Real LLP" and [u.username for u in org.users.all()] == ["realco"]
    assert User.objects.get(username="squatter").organisation is None


@pytest.mark.parametrize("decide", ["approve", "reject"])
@pytest.mark.parametrize("note", ["", "   ", "x" * 2001, None, 5])
def test_a_decision_needs_a_note(staff_user, decide, note):
    request = _registrant("noted")
    with pytest.raises(InputError):
        getattr(services, f"join_request_{decide}")(actor=staff_user, join_request=request,
                                                     note=note)
    request.refresh_from_db()
    assert request.status == "pending" and User.objects.get(username="noted").organisation is None


@pytest.mark.parametrize("who", ["demo-manager", "demo-investor", "anonymous"])
def test_only_the_zone_office_decides(demo, who):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else User.objects.get(username=who)
    request = _registrant("waiting")
    for call in (services.join_request_approve, services.join_request_reject):
        with pytest.raises(Forbidden):
            call(actor=actor, join_request=request, note="ok")
    org = Organisation.objects.get(bin="180140005227")
    Organisation.objects.filter(pk=org.pk).update(confirmed_at=None)
    with pytest.raises(Forbidden):
        services.organisation_confirm(actor=actor, organisation=org, note="ok")
    assert JoinRequest.objects.get(pk=request.pk).status == "pending"
    assert not Organisation.objects.get(pk=org.pk).is_confirmed


def test_a_request_is_decided_once_and_only_after_the_email_is_confirmed(staff_user):
    request = _registrant("unverified", verified=False)
    with pytest.raises(Conflict, match="email"):
        services.join_request_approve(actor=staff_user, join_request=request, note="ok")
    User.objects.filter(username="unverified").update(is_active=True)
    services.join_request_approve(actor=staff_user, join_request=request, note="ok")
    for call in (services.join_request_approve, services.join_request_reject):
        with pytest.raises(Conflict, match="decided already"):
            call(actor=staff_user, join_request=request, note="again")


def test_a_member_of_an_unconfirmed_organisation_reads_but_does_not_act(
        client, demo, django_capture_on_commit_callbacks):
    """Organisations registered before confirmation existed wait for the zone office."""
    owner = User.objects.get(username="demo-investor")
    app = app_services.application_create(actor=owner, project_name="Old plant", sector="C25",
                                          investment_kzt=1, jobs_planned=1)
    Organisation.objects.filter(pk=owner.organisation_id).update(confirmed_at=None)
    client.force_login(owner)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 200
    assert client.get(reverse("applications:create")).status_code == 403
    assert client.get(reverse("accounts:invite")).status_code == 403
    client.post(reverse("applications:transition", args=[app.pk, "submit"]))
    client.post(reverse("applications:comment", args=[app.pk]), {"comment": "hello"})
    app.refresh_from_db()
    assert app.status == "draft" and not app.comments.exists()
    r = client.post("/api/applications", {"project_name": "API plant", "sector": "C25",
                                           "investment_kzt": 1, "jobs_planned": 1},
                    content_type="application/json")
    assert r.status_code == 403
    body = client.get(reverse("applications:list")).content.decode()
    assert "You can apply once the zone office has confirmed you" in body


def test_staff_see_the_queue_and_decide_there(staff_client, demo):
    from django.test import Client

    manager_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    manager_client.force_login(User.objects.get(username="demo-manager"))
    claimed = _registrant("claimer")
    new = _registrant("newcomer", country="GB", number="01234567", name="Copper Ltd")
    _registrant("silent", number="050840001233", verified=False)
    body = staff_client.get(reverse("accounts:queue")).content.decode()
    assert "claimer" in body and "newcomer" in body and "silent" not in body
    assert "ТОО «Балхаш МеталлСервис» (демо)" in body  # the known organisation is named
    assert "1 more request waits" in body
    assert "Copper Ltd" in body and "GB 01234567" in body
    body = manager_client.get(reverse("accounts:queue")).content.decode()
    assert "claimer" in body and "/approve/" not in body
    url = reverse("accounts:join_request_decide", args=[new.pk, "approve"])
    assert manager_client.post(url, {"note": "ok"}).status_code == 403
    r = staff_client.post(url, {"note": ""}, follow=True)
    assert "Write a note" in r.content.decode()
    assert JoinRequest.objects.get(pk=new.pk).status == "pending"
    staff_client.post(url, {"note": "Companies House record"})
    assert JoinRequest.objects.get(pk=new.pk).status == "approved"
    r = staff_client.post(reverse("accounts:join_request_decide", args=[claimed.pk, "reject"]),
                          {"note": "The company does not know this person"}, follow=True)
    assert JoinRequest.objects.get(pk=claimed.pk).status == "rejected"
    assert "The company does not know this person" in r.content.decode()  # recently decided
    assert staff_client.post(reverse("accounts:join_request_decide",
                                     args=[claimed.pk, "delete"])).status_code == 404


def test_staff_confirm_an_organisation_registered_before_confirmation(staff_client, demo):
    org = Organisation.objects.get(bin="050840001233")
    Organisation.objects.filter(pk=org.pk).update(confirmed_at=None)
    assert org.name in staff_client.get(reverse("accounts:queue")).content.decode()
    staff_client.post(reverse("accounts:organisation_confirm", args=[org.pk]),
                      {"note": "Letter on letterhead"})
    org.refresh_from_db()
    assert org.is_confirmed and org.confirmation_note == "Letter on letterhead"
    assert "organisation.confirmed" in _actions(org)


def test_a_registrant_without_organisation_asks_again_from_their_page(client, demo):
    request = _registrant("asker")
    services.join_request_reject(actor=None, join_request=request, note="Wrong BIN?")
    user = User.objects.get(username="asker")
    client.force_login(user)
    body = client.get(reverse("accounts:organisation")).content.decode()
    assert "Wrong BIN?" in body and "Send the request" in body
    r = client.post(reverse("accounts:organisation"), {
        "organisation_name": "Сарыарка", "country": "KZ", "number": "050840001233"})
    assert r.status_code == 302
    assert user.join_requests.filter(status="pending", number="050840001233").exists()
    body = client.get(reverse("accounts:organisation")).content.decode()
    assert "Send the request" not in body  # one pending request at a time
    with pytest.raises(Conflict):
        services.join_request_create(actor=user, organisation_name="X", country="KZ",
                                     number="050840001233")
    r = client.post(reverse("accounts:organisation"), {
        "organisation_name": "x", "country": "KZ", "number": "1"})
    assert user.join_requests.count() == 2


@pytest.mark.parametrize("data", [
    {"organisation_name": "", "country": "KZ", "number": "050840001233"},
    {"organisation_name": "A", "country": "KZ", "number": "050840001234"},
    {"organisation_name": "A", "country": "ZZ", "number": "12345"},
    {"organisation_name": "A" * 300, "country": "DE", "number": "HRB1"},
])
def test_a_join_request_with_bad_input_changes_nothing(client, demo, data):
    user = services.user_create(actor=None, username="loner", password=PASSWORD,
                                role=Role.INVESTOR, email="l@example.kz")
    client.force_login(user)
    r = client.post(reverse("accounts:organisation"), data)
    assert r.status_code == 200 and b'class="error"' in r.content
    assert not user.join_requests.exists()


@pytest.mark.parametrize("username", ["demo-staff", "demo-manager"])
def test_staff_and_managers_have_no_organisation_page(client, demo, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("accounts:organisation")).status_code == 403


def test_a_kazakh_company_needs_its_bin_and_a_foreign_one_no_bin(db):
    with pytest.raises(InputError):
        services.organisation_create(actor=None, name="A", country="KZ", number="HRB123")
    org = services.organisation_create(actor=None, name="B", country="RU",
                                       number="1027700132195")
    assert (org.bin, org.registration_number) == (None, "1027700132195")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="C", country="RU", registration_number="1027700132195")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="D", country="RU", bin="180140005227",
                                    registration_number="")


def test_the_migration_confirms_what_staff_entered_and_leaves_registrations_waiting(staff_user):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "promzona.accounts.migrations.0005_organisation_confirmation")
    by_staff = services.organisation_create(actor=staff_user, name="S", country="DE",
                                            number="HRB1")
    self_registered = services.organisation_create(actor=None, name="R", country="DE",
                                                   number="HRB2")
    demo_org = Organisation.objects.get(bin="050840001233")
    Organisation.objects.filter(pk=demo_org.pk).update(confirmed_at=None)
    from types import SimpleNamespace

    from django.db import connection

    # The migration reads the database being migrated from its schema editor's connection.
    migration.confirm_staff_entered(apps, SimpleNamespace(connection=connection))
    by_staff.refresh_from_db()
    self_registered.refresh_from_db()
    demo_org.refresh_from_db()
    assert by_staff.is_confirmed and by_staff.confirmed_by == staff_user
    assert not self_registered.is_confirmed
    assert demo_org.is_confirmed  # the demo is loaded: its companies act
