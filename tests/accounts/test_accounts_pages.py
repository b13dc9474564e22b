"""Self-registration with email verification, login throttling, invitations, password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from promzona.accounts.models import LoginFailure, Organisation, User
from promzona.accounts.throttle import MAX_PER_ACCOUNT, MAX_PER_ADDRESS
from promzona.demo.accounts import DEMO_PASSWORD

GOOD = {"organisation_name": "Балхаш Металл", "bin": "180140005227", "username": "newco",
        "email": "ceo@newco.kz", "password1": "steel-and-copper-27", "password2": "steel-and-copper-27"}


def _link(body: str) -> str:
    return re.search(r"http://testserver(\S+)", body).group(1)


@pytest.fixture
def free_bin(db):
    # A valid BIN no demo organisation uses: vary the serial until the check digit works out.
    from promzona.core.kz_bin import bin_validate

    for serial in range(1000, 9999):
        candidate = None
        for check in range(10):
            value = f"2001400{serial:04d}"[:11] + str(check)
            try:
                bin_validate(value)
            except Exception:  # noqa: BLE001, S112
                continue
            candidate = value
            break
        if candidate and not Organisation.objects.filter(bin=candidate).exists():
            return candidate
    raise AssertionError("no free BIN")


def test_register_verify_login(client, free_bin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("accounts:register"), dict(GOOD, bin=free_bin))
    assert r.status_code == 200
    user = User.objects.get(username="newco")
    assert not user.is_active and user.organisation.bin == free_bin
    assert user.password.startswith("argon2")
    assert not client.login(username="newco", password=GOOD["password1"])
    r = client.get(_link(mail.outbox[0].body))
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert client.login(username="newco", password=GOOD["password1"])


@pytest.mark.parametrize(
    "field,value",
    [("bin", "180140005228"), ("bin", "12345"), ("bin", "abcdefghijkl"), ("bin", "180140005227"),
     ("password1", "short"), ("password1", "password123"), ("email", "not-an-email"),
     ("username", "x" * 200), ("username", "bad name!"), ("organisation_name", "")],
)
def test_register_refuses_bad_input(client, free_bin, field, value):
    data = dict(GOOD, bin=free_bin)
    data[field] = value
    if field == "password1":
        data["password2"] = value
    n_users, n_orgs = User.objects.count(), Organisation.objects.count()
    r = client.post(reverse("accounts:register"), data)
    assert r.status_code == 200 and b'class="error"' in r.content
    assert (User.objects.count(), Organisation.objects.count()) == (n_users, n_orgs)


def test_forged_verification_link_is_refused(client, demo):
    r = client.get(reverse("accounts:verify", args=["eyJ1IjoxfQ:forged:sig"]))
    assert r.status_code == 400


def test_login_throttled_per_account_with_a_clear_message(client, demo):
    url = reverse("login")
    for _ in range(MAX_PER_ACCOUNT):
        r = client.post(url, {"username": "demo-investor", "password": "wrong-password-1"})
        assert not r.context["form"].throttle_message
    r = client.post(url, {"username": "demo-investor", "password": DEMO_PASSWORD})
    assert r.status_code == 200
    message = str(r.context["form"].throttle_message)
    assert message and message in r.content.decode()
    assert r.context["form"].has_error("__all__", code="throttled")
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    r = client.post(url, {"username": "demo-staff", "password": DEMO_PASSWORD},
                    REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 302


def test_login_throttled_per_address(client, demo):
    url = reverse("login")
    for i in range(MAX_PER_ADDRESS):
        client.post(url, {"username": f"nobody{i}", "password": "x"}, REMOTE_ADDR="10.1.1.1")
    r = client.post(url, {"username": "demo-staff", "password": DEMO_PASSWORD},
                    REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 200 and r.context["form"].has_error("__all__", code="throttled")
    assert LoginFailure.objects.filter(address="10.1.1.1").count() == MAX_PER_ADDRESS


def test_successful_login_clears_the_account_failures(client, demo):
    url = reverse("login")
    client.post(url, {"username": "demo-staff", "password": "nope-nope-nope"})
    assert client.post(url, {"username": "demo-staff", "password": DEMO_PASSWORD}).status_code == 302
    assert not LoginFailure.objects.filter(username="demo-staff").exists()


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
    assert cfo.organisation_id == inviter.organisation_id and cfo.email == "cfo@metal.kz"
    assert client.post(link, dict(data, username="cfo2")).status_code == 409
    tampered = link.replace("/join/", "/join/x")
    assert client.get(tampered).status_code == 400


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


def test_registration_race_on_the_bin_is_a_form_error(client, demo, monkeypatch):
    """The form's BIN check passed, but another registration took the BIN meanwhile."""
    from promzona.accounts.forms import RegistrationForm

    monkeypatch.setattr(RegistrationForm, "clean_bin", lambda self: self.cleaned_data["bin"])
    n_users = User.objects.count()
    r = client.post(reverse("accounts:register"), GOOD)  # 180140005227 is a demo organisation's
    assert r.status_code == 200 and b'class="error"' in r.content
    assert User.objects.count() == n_users


def test_an_old_verification_link_does_not_reactivate_an_account(
        client, free_bin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), dict(GOOD, bin=free_bin))
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


def test_the_admin_login_is_throttled_too(client, demo):
    for _ in range(MAX_PER_ACCOUNT):
        client.post(reverse("login"), {"username": "demo-staff", "password": "wrong-password-1"})
    r = client.post(reverse("admin:login"), {"username": "demo-staff", "password": DEMO_PASSWORD,
                                             "next": "/admin/"})
    assert r.status_code == 200 and r.context["form"].has_error("__all__", code="throttled")
    assert "_auth_user_id" not in client.session
    # failures on the admin login count as well:
    LoginFailure.objects.all().delete()
    for _ in range(MAX_PER_ACCOUNT):
        client.post(reverse("admin:login"), {"username": "demo-staff", "password": "nope-nope-1"})
    r = client.post(reverse("login"), {"username": "demo-staff", "password": DEMO_PASSWORD})
    assert r.status_code == 200 and r.context["form"].has_error("__all__", code="throttled")
