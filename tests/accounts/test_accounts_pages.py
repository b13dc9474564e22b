"""Registration with email verification and rate limits, invitations, password reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.urls import reverse

from promzona.accounts import throttle
from promzona.accounts.models import JoinRequest, Organisation, User
from promzona.applications.services import application_create
from promzona.audit.models import AuditEntry

GOOD = {"organisation_name": "Балхаш Металл", "country": "KZ", "number": "180140005227",
        "username": "newco", "email": "ceo@newco.kz", "password1": "steel-and-copper-27",
        "password2": "steel-and-copper-27"}
CLAIMED_BIN = "180140005227"  # the demo's «Балхаш МеталлСервис»


def _link(body: str) -> str:
    return re.search(r"https://zone\.example\.kz(\S+)", body).group(1)


def _unmasked(content: bytes) -> str:
    """A page without its per-response CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


@pytest.fixture
def free_bin(db):
    # A valid BIN no demo organisation uses: vary the serial until the check digit works out.
    from promzona.core.kz_bin import bin_check_digit

    for serial in range(1000, 9999):
        head = f"2001400{serial:04d}"
        check = bin_check_digit(head)
        if check is not None and not Organisation.objects.filter(bin=head + str(check)).exists():
            return head + str(check)
    raise AssertionError("no free BIN")


def _register(client, django_capture_on_commit_callbacks, address="10.20.0.1", **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:register"), dict(GOOD, **fields),
                           REMOTE_ADDR=address)


def test_register_verify_login(client, free_bin, django_capture_on_commit_callbacks):
    r = _register(client, django_capture_on_commit_callbacks, number=free_bin)
    assert r.status_code == 200
    user = User.objects.get(username="newco")
    assert not user.is_active and user.organisation is None
    assert user.password.startswith("argon2")
    assert not client.login(username="newco", password=GOOD["password1"])
    r = client.get(_link(mail.outbox[0].body))
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.is_active and not user.acts_for_organisation
    assert client.login(username="newco", password=GOOD["password1"])


def test_registration_makes_a_join_request_not_an_organisation(
        client, free_bin, django_capture_on_commit_callbacks):
    before = Organisation.objects.count()
    _register(client, django_capture_on_commit_callbacks, number=free_bin)
    assert Organisation.objects.count() == before
    request = JoinRequest.objects.get(user__username="newco")
    assert (request.country, request.number, request.status) == ("KZ", free_bin, "pending")
    assert request.organisation_name == GOOD["organisation_name"] and request.language == "en"
    assert AuditEntry.objects.filter(action="join_request.created",
                                     object_id=str(request.pk)).exists()


@pytest.mark.parametrize("country,number", [("KZ", CLAIMED_BIN), ("KZ", "050840001233"),
                                            ("KZ", "180 140 005 227")])
def test_registering_a_claimed_bin_goes_to_the_zone_office(
        client, demo, django_capture_on_commit_callbacks, country, number):
    """Not a dead end ("ask a colleague"), and no way in to the company's applications."""
    r = _register(client, django_capture_on_commit_callbacks, country=country, number=number)
    assert r.status_code == 200 and "Check your email" in r.content.decode()
    user = User.objects.get(username="newco")
    request = JoinRequest.objects.get(user=user)
    assert request.number == number.replace(" ", "") and request.status == "pending"
    assert user.organisation is None
    assert client.get(_link(mail.outbox[-1].body)).status_code == 302
    owner = Organisation.objects.get(bin=request.number).users.first()
    app = application_create(actor=owner, project_name="Secret plant", sector="C25",
                             investment_kzt=1, jobs_planned=1)
    client.force_login(User.objects.get(pk=user.pk))
    assert "Secret plant" not in client.get(reverse("applications:list")).content.decode()
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("applications:create")).status_code == 403


def test_registration_answers_the_same_whatever_exists(
        client, demo, free_bin, django_capture_on_commit_callbacks, monkeypatch):
    """A new BIN, a claimed BIN, a taken user name (in any case): the same page, one password
    hash and one mail each; the taken name creates nothing."""
    hashes = []
    encode = Argon2PasswordHasher.encode
    monkeypatch.setattr(Argon2PasswordHasher, "encode",
                        lambda self, *a, **k: hashes.append(1) or encode(self, *a, **k))
    pages = []
    cases = [dict(number=free_bin, username="fresh1"),
             dict(number=CLAIMED_BIN, username="fresh2"),
             dict(number=free_bin, username="demo-staff"),
             dict(number=CLAIMED_BIN, username="DEMO-Investor")]
    for i, case in enumerate(cases):
        hashes.clear()
        n_mail, n_users = len(mail.outbox), User.objects.count()
        email = f"ceo{i}@newco.kz"
        r = _register(client, django_capture_on_commit_callbacks, address=f"10.21.0.{i}",
                      email=email, **case)
        pages.append((r.status_code, _unmasked(r.content).replace(email, "EMAIL")))
        assert len(hashes) == 1 and len(mail.outbox) == n_mail + 1
        assert mail.outbox[-1].to == [email]
        created = User.objects.count() - n_users
        assert created == (0 if case["username"].lower().startswith("demo") else 1)
    assert len(set(pages)) == 1
    assert "is taken" in mail.outbox[-1].body and "DEMO-Investor" in mail.outbox[-1].body
    assert not User.objects.filter(username="DEMO-Investor").exists()


def test_registration_is_rate_limited_per_address_and_per_email(
        client, demo, free_bin, django_capture_on_commit_callbacks):
    allowed = throttle.REGISTER["address"].free
    for i in range(allowed):
        r = _register(client, django_capture_on_commit_callbacks, address="10.22.0.1",
                      username=f"rl{i}", email=f"rl{i}@example.kz", number=free_bin)
        assert r.status_code == 200
    n_users, n_mail = User.objects.count(), len(mail.outbox)
    r = _register(client, django_capture_on_commit_callbacks, address="10.22.0.1",
                  username="rl-next", email="next@example.kz", number=free_bin)
    assert r.status_code == 429 and "Too many requests" in r.content.decode()
    assert (User.objects.count(), len(mail.outbox)) == (n_users, n_mail)
    # Another address is free; one email address is limited wherever it comes from.
    for i in range(throttle.REGISTER["account"].free):
        r = _register(client, django_capture_on_commit_callbacks, address=f"10.23.0.{i}",
                      username=f"mb{i}", email="victim@example.kz", number=free_bin)
        assert r.status_code == 200
    r = _register(client, django_capture_on_commit_callbacks, address="10.23.1.1",
                  username="mb-next", email="VICTIM@example.kz", number=free_bin)
    assert r.status_code == 429 and not User.objects.filter(username="mb-next").exists()


@pytest.mark.parametrize(
    "field,value",
    [("number", "180140005228"), ("number", "12345"), ("number", "abcdefghijkl"),
     ("number", ""), ("number", "1" * 41), ("country", "XX"), ("country", "EU"), ("country", ""),
     ("password1", "short"), ("password1", "password123"), ("email", "not-an-email"),
     ("username", "x" * 200), ("username", "bad name!"), ("organisation_name", ""),
     ("organisation_name", "x" * 256)],
)
def test_register_refuses_bad_input(client, free_bin, field, value):
    data = dict(GOOD, number=free_bin)
    data[field] = value
    if field == "password1":
        data["password2"] = value
    counts = (User.objects.count(), Organisation.objects.count(), JoinRequest.objects.count())
    r = client.post(reverse("accounts:register"), data)
    assert r.status_code == 200 and b'class="error"' in r.content
    assert (User.objects.count(), Organisation.objects.count(),
            JoinRequest.objects.count()) == counts


@pytest.mark.parametrize("number", ["", "-- --", "Ж12345", "ABCDEF", "1" * 31])
def test_a_foreign_registration_number_must_be_latin_letters_and_digits(client, db, number):
    r = client.post(reverse("accounts:register"), dict(GOOD, country="DE", number=number))
    assert r.status_code == 200 and b'class="error"' in r.content
    assert not User.objects.filter(username="newco").exists()


def test_a_foreign_company_registers_with_its_country_and_number(
        client, demo, django_capture_on_commit_callbacks):
    r = _register(client, django_capture_on_commit_callbacks, country="DE",
                  number=" hrb-12 345 ", organisation_name="Kupfer GmbH")
    assert r.status_code == 200
    request = JoinRequest.objects.get(user__username="newco")
    assert (request.country, request.number) == ("DE", "HRB12345")


def test_the_country_list_speaks_the_page_language(client, db):
    body = client.get("/accounts/register/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert 'value="KZ" selected>Қазақстан' in body and ">Германия<" in body
    body = client.get("/accounts/register/").content.decode()
    assert 'value="KZ" selected>Kazakhstan' in body and ">Germany<" in body


def test_forged_verification_link_is_refused(client, demo):
    r = client.get(reverse("accounts:verify", args=["eyJ1IjoxfQ:forged:sig"]))
    assert r.status_code == 400


def test_the_verification_link_can_be_sent_again(
        client, free_bin, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks, number=free_bin)
    url = reverse("accounts:verify_resend")
    answers = []
    for email in ("CEO@newco.kz", "nobody@newco.kz", "demo-staff@example.org"):
        n = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(url, {"email": email}, REMOTE_ADDR="10.24.0.1")
        answers.append((r.status_code, _unmasked(r.content)))
        assert len(mail.outbox) == n + (email == "CEO@newco.kz")
    assert len(set(answers)) == 1
    assert client.get(_link(mail.outbox[-1].body)).status_code == 302
    assert User.objects.get(username="newco").is_active
    n = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "ceo@newco.kz"}, REMOTE_ADDR="10.24.0.2")
    assert len(mail.outbox) == n  # verified: nothing more to send


def test_resending_links_is_rate_limited(client, db):
    url = reverse("accounts:verify_resend")
    for _ in range(throttle.MAIL["account"].free):
        assert client.post(url, {"email": "a@b.kz"}).status_code == 200
    r = client.post(url, {"email": "a@b.kz"}, REMOTE_ADDR="10.25.0.9")
    assert r.status_code == 429 and "Too many requests" in r.content.decode()
    assert client.post(url, {"email": "x" * 300}).status_code == 200  # a form error


def test_password_reset_mails_are_rate_limited(client, demo, django_capture_on_commit_callbacks):
    User.objects.filter(username="demo-investor").update(email="inv@example.kz")
    for _ in range(throttle.MAIL["account"].free):
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(reverse("password_reset"), {"email": "inv@example.kz"})
        assert r.status_code == 302
    r = client.post(reverse("password_reset"), {"email": "inv@example.kz"},
                    REMOTE_ADDR="10.26.0.1")
    assert r.status_code == 429 and "Too many requests" in r.content.decode()
    assert len(mail.outbox) == throttle.MAIL["account"].free


def test_invite_a_colleague(investor_client, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = investor_client.post(reverse("accounts:invite"), {"email": "cfo@metal.kz"})
    assert r.status_code == 302
    link = _link(mail.outbox[-1].body)
    investor_client.logout()
    data = {"username": "cfo", "password1": "copper-wire-2027", "password2": "copper-wire-2027"}
    assert client.post(link, data).status_code == 302
    cfo = User.objects.get(username="cfo")
    inviter = User.objects.get(username="demo-investor")
    assert cfo.organisation_id == inviter.organisation_id and cfo.acts_for_organisation
    assert client.post(link, dict(data, username="cfo2")).status_code == 409
    tampered = link.replace("/join/", "/join/x")
    assert client.get(tampered).status_code == 400


def test_invitations_are_rate_limited(investor_client):
    for i in range(throttle.MEMBER["account"].free):
        investor_client.post(reverse("accounts:invite"), {"email": f"c{i}@metal.kz"})
    r = investor_client.post(reverse("accounts:invite"), {"email": "one-more@metal.kz"})
    assert r.status_code == 429


def test_staff_cannot_invite(staff_client):
    assert staff_client.post(reverse("accounts:invite"), {"email": "a@b.kz"}).status_code == 403


def test_password_reset_sends_a_mail(client, demo, django_capture_on_commit_callbacks):
    User.objects.filter(username="demo-investor").update(email="inv@example.kz")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        r = client.post(reverse("password_reset"), {"email": "inv@example.kz"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and "inv@example.kz" in mail.outbox[0].to


def test_password_reset_end_to_end(client, demo, django_capture_on_commit_callbacks):
    User.objects.filter(username="demo-investor").update(email="inv2@example.kz")
    r = client.get(reverse("password_reset"))
    assert b"web/site.css" in r.content  # our base template, not the admin's
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "inv2@example.kz"})
    link = _link(mail.outbox[-1].body)
    r = client.get(link, follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert b'class="error"' in r.content
    r = client.post(form_url, {"new_password1": "fresh-steel-2030", "new_password2": "fresh-steel-2030"})
    assert r.status_code == 302
    assert client.login(username="demo-investor", password="fresh-steel-2030")
    assert client.post(form_url, {"new_password1": "other-steel-2031",
                                  "new_password2": "other-steel-2031"}).status_code == 200
    assert not client.login(username="demo-investor", password="other-steel-2031")


def test_a_simultaneous_registration_of_the_user_name_gets_the_same_answer(
        client, demo, django_capture_on_commit_callbacks, monkeypatch):
    """The name was free when checked, and taken by another registration before the insert."""
    from django.db.models import QuerySet

    real_exists = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda qs: False if qs.model is User
                        else real_exists(qs))
    n_users = User.objects.count()
    r = _register(client, django_capture_on_commit_callbacks, username="demo-staff")
    assert r.status_code == 200 and "Check your email" in r.content.decode()
    assert User.objects.count() == n_users and "is taken" in mail.outbox[-1].body


def test_an_old_verification_link_does_not_reactivate_an_account(
        client, free_bin, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks, number=free_bin)
    link = _link(mail.outbox[0].body)
    assert client.get(link).status_code == 302
    assert client.get(link).status_code == 302  # a second click while active is harmless
    User.objects.filter(username="newco").update(is_active=False)  # the zone office blocks it
    r = client.get(link)
    assert r.status_code == 403 and "deactivated" in r.content.decode()
    assert not User.objects.get(username="newco").is_active


def test_an_invitation_dies_with_its_senders_membership(
        investor_client, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        investor_client.post(reverse("accounts:invite"), {"email": "ex@metal.kz"})
    link = _link(mail.outbox[-1].body)
    investor_client.logout()
    User.objects.filter(username="demo-investor").update(is_active=False)
    data = {"username": "ex", "password1": "copper-wire-2027", "password2": "copper-wire-2027"}
    r = client.post(link, data)
    assert r.status_code == 400 and "no longer valid" in r.content.decode()
    assert not User.objects.filter(username="ex").exists()
