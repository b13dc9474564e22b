"""Login throttling: growing delays per account-and-address, per address and per account; a
stranger cannot lock the owner out, and a password reset always unlocks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from promzona.accounts import throttle
from promzona.accounts.models import Attempt, User
from promzona.demo.accounts import DEMO_PASSWORD

PAIR = throttle.LOGIN["pair"].free
PER_ADDRESS = throttle.LOGIN["address"].free
PER_ACCOUNT = throttle.LOGIN["account"].free


def _login(client, username, password, address="10.0.0.1"):
    """The response and whether the login was refused as throttled."""
    r = client.post(reverse("login"), {"username": username, "password": password},
                    REMOTE_ADDR=address)
    throttled = r.status_code == 200 and r.context["form"].has_error("__all__", code="throttled")
    return r, throttled


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _guess(username, address, n=1):
    """``n`` wrong passwords through the login form's throttle calls, without hashing each
    (the HTTP path is the same; see the tests that post to the form)."""
    for _ in range(n):
        if not throttle.login_attempt_start(username=username, address=address):
            throttle.login_failed()


@pytest.mark.parametrize("attack", ["one address", "many addresses", "many addresses, long"])
def test_a_stranger_guessing_cannot_lock_the_owner_out(client, demo, attack):
    """The owner logs in from the address they always use, whatever a stranger did."""
    client.post(reverse("login"), {"username": "demo-staff", "password": DEMO_PASSWORD},
                REMOTE_ADDR="10.0.0.1")  # the owner's office, known to the account
    client.logout()
    guesses = {"one address": [("10.6.6.6", 40)],
               "many addresses": [(f"10.7.0.{i}", 3) for i in range(1, 11)],
               "many addresses, long": [(f"10.8.0.{i}", 4) for i in range(1, 31)]}[attack]
    _login(client, "demo-staff", "a-wrong-guess", guesses[0][0])  # through the form too
    for address, n in guesses:
        _guess("demo-staff", address, n)
    _, throttled = _login(client, "demo-staff", DEMO_PASSWORD, "10.0.0.1")
    assert not throttled and _logged_in(client)


def test_the_owner_on_a_new_address_is_not_locked_out_by_a_few_strangers(client, demo):
    for i in range(1, 11):
        _guess("demo-staff", f"10.7.1.{i}", 4)
    assert 40 < PER_ACCOUNT  # under the account's allowance: nobody else is slowed down
    _, throttled = _login(client, "demo-staff", DEMO_PASSWORD, "192.0.2.44")
    assert not throttled and _logged_in(client)


def test_guessing_one_account_from_one_address_meets_growing_delays(demo):
    t0 = timezone.now()

    def attempt(seconds, *, fail=True):
        minutes = throttle.login_attempt_start(username="demo-investor", address="10.2.2.2",
                                               now=t0 + dt.timedelta(seconds=seconds))
        if not minutes and fail:
            throttle.login_failed(now=t0 + dt.timedelta(seconds=seconds))
        return minutes

    assert [attempt(i) for i in range(PAIR)] == [0] * PAIR
    # The next one waits a minute after the latest failure (at 4 s); hammering meanwhile is
    # refused and does not lengthen the wait.
    assert [attempt(s) for s in (10, 30, 60)] == [1, 1, 1]
    assert attempt(65) == 0
    assert attempt(65 + 100) == 1  # now two minutes after the latest
    assert attempt(65 + 121) == 0
    assert attempt(65 + 121 + 200) == 1  # four minutes
    assert attempt(65 + 121 + 241) == 0
    # Another account from the same address, and this account from elsewhere, are free.
    assert throttle.login_attempt_start(username="demo-staff", address="10.2.2.2",
                                        now=t0 + dt.timedelta(seconds=500)) == 0
    assert throttle.login_attempt_start(username="demo-investor", address="10.2.2.3",
                                        now=t0 + dt.timedelta(seconds=500)) == 0


def test_the_delay_is_capped_and_a_day_later_forgotten(demo):
    t0 = timezone.now()
    for i in range(PAIR + 12):  # far past the allowance, each after its wait
        at = t0 + dt.timedelta(hours=i)
        assert throttle.login_attempt_start(username="x", address="10.3.3.3", now=at) == 0
    later = t0 + dt.timedelta(hours=PAIR + 11, minutes=30)
    assert throttle.login_attempt_start(username="x", address="10.3.3.3", now=later) == 30
    next_day = t0 + dt.timedelta(hours=PAIR + 12 + 24)
    throttle.login_failed(now=next_day)
    assert throttle.login_attempt_start(username="x", address="10.3.3.3", now=next_day) == 0


def test_guessing_many_accounts_from_one_address_is_throttled(client, demo):
    for i in range(3):
        _, throttled = _login(client, f"nobody{i}", "x", "10.1.1.1")
        assert not throttled
    for i in range(3, PER_ADDRESS):
        _guess(f"nobody{i}", "10.1.1.1")
    r, throttled = _login(client, "demo-manager", DEMO_PASSWORD, "10.1.1.1")
    assert throttled and not _logged_in(client)
    message = str(r.context["form"].throttle_message)
    assert "Try again in 1 minute," in message and message in r.content.decode()


def test_an_address_known_to_the_account_is_not_slowed_by_others_guessing_there(client, demo):
    """A shared office address: a colleague's typos for other accounts do not lock you out."""
    _login(client, "demo-manager", DEMO_PASSWORD, "10.1.1.2")
    client.logout()
    for i in range(PER_ADDRESS + 5):
        _guess(f"nobody{i}", "10.1.1.2")
    _, throttled = _login(client, "demo-manager", DEMO_PASSWORD, "10.1.1.2")
    assert not throttled and _logged_in(client)


def test_an_ipv6_subscriber_counts_as_one_address(client, demo):
    _login(client, "nobody", "x", "2001:db8:5:6::abc")
    for i in range(1, PER_ADDRESS):
        _guess(f"nobody{i}", throttle.client_address(
            RequestFactory().get("/", REMOTE_ADDR=f"2001:db8:5:6::{i:x}")))
    _, throttled = _login(client, "demo-manager", DEMO_PASSWORD, "2001:db8:5:6:ffff::1")
    assert throttled
    _, throttled = _login(client, "demo-manager", DEMO_PASSWORD, "2001:db8:5:7::1")
    assert not throttled and _logged_in(client)


def test_a_successful_login_forgets_its_own_failures_only(client, demo):
    _login(client, "demo-staff", "nope-nope-nope", "10.4.4.4")
    _login(client, "demo-staff", "nope-nope-nope", "10.4.4.5")
    _, throttled = _login(client, "demo-staff", DEMO_PASSWORD, "10.4.4.4")
    assert not throttled
    failures = Attempt.objects.filter(scope="login", account="demo-staff")
    assert list(failures.values_list("address", flat=True)) == ["10.4.4.5"]
    assert Attempt.objects.filter(scope=throttle.KNOWN, account="demo-staff",
                                  address="10.4.4.4").exists()


def _reset_password(client, email, new, address):
    from promzona.outbox.services import outbox_send

    client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    outbox_send()  # what the job sends (the test's transaction never commits)
    link = re.search(r"https://zone\.example\.kz(\S+)", mail.outbox[-1].body).group(1)
    r = client.get(link, follow=True, REMOTE_ADDR=address)
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": new, "new_password2": new}, REMOTE_ADDR=address)
    assert r.status_code == 302


@pytest.mark.parametrize("attack", ["the owner's own typos", "strangers everywhere"])
def test_a_password_reset_always_unlocks(client, demo, attack):
    User.objects.filter(username="demo-investor").update(email="owner@example.kz")
    if attack == "the owner's own typos":
        guesses = [("10.5.5.5", PAIR + 3)]
    else:
        guesses = [(f"10.5.6.{i}", 3) for i in range(1, PER_ACCOUNT // 3 + 3)]
    _login(client, "demo-investor", "typo", guesses[0][0])
    for address, n in guesses:
        _guess("demo-investor", address, n - (address == guesses[0][0]))
    _, throttled = _login(client, "demo-investor", DEMO_PASSWORD, "10.5.5.5")
    assert throttled
    _reset_password(client, "owner@example.kz", "fresh-steel-2030", "10.5.5.5")
    _, throttled = _login(client, "demo-investor", "fresh-steel-2030", "10.5.5.5")
    assert not throttled and _logged_in(client)
    user = User.objects.get(username="demo-investor")
    from promzona.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="user.password_set", object_id=str(user.pk)).exists()


def test_a_password_change_is_audited_and_keeps_the_session(client, demo):
    client.force_login(User.objects.get(username="demo-investor2"))
    r = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "brand-new-copper-77",
        "new_password2": "brand-new-copper-77"})
    assert r.status_code == 302 and _logged_in(client)
    user = User.objects.get(username="demo-investor2")
    assert user.check_password("brand-new-copper-77")
    from promzona.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="user.password_set", object_id=str(user.pk)).exists()


def test_the_admin_login_is_throttled_too(client, demo):
    for _ in range(PAIR):
        _login(client, "demo-staff", "wrong-password-1", "10.9.9.9")
    r = client.post(reverse("admin:login"), {"username": "demo-staff", "password": DEMO_PASSWORD,
                                             "next": "/admin/"}, REMOTE_ADDR="10.9.9.9")
    assert r.status_code == 200 and r.context["form"].has_error("__all__", code="throttled")
    assert not _logged_in(client)
    # failures on the admin login count as well:
    for _ in range(PAIR):
        client.post(reverse("admin:login"), {"username": "demo-manager", "password": "nope-1"},
                    REMOTE_ADDR="10.9.9.8")
    _, throttled = _login(client, "demo-manager", DEMO_PASSWORD, "10.9.9.8")
    assert throttled


# --- the client's address behind a reverse proxy ---------------------------------------------


@pytest.mark.nodb
@pytest.mark.parametrize("trusted, peer, forwarded, expected", [
    ([], "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # no proxy trusted: the header is ignored
    (["127.0.0.1"], "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # the peer is no proxy
    (["127.0.0.1"], "127.0.0.1", "203.0.113.9", "203.0.113.9"),
    (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # forged hop unreached
    (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"),
    (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),  # the proxy's own request
    (["127.0.0.1"], "127.0.0.1", "not-an-address", None),
    (["::1"], "::1", "2001:db8:1:2::99", "2001:db8:1:2::"),
])
def test_the_client_address_comes_from_a_trusted_proxy_only(settings, trusted, peer, forwarded,
                                                            expected):
    import ipaddress

    settings.PROMZONA_TRUSTED_PROXIES = [ipaddress.ip_network(n) for n in trusted]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_address(request) == expected
