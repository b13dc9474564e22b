"""Shared fixtures: the Balkhash demo loaded once per test database, users of each role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from promzona.demo import balkhash
from promzona.demo.accounts import DEMO_PASSWORD

# No per-example time limit for the property tests: a CI machine's pause (a collection, a busy
# neighbour) would fail an example that is fast everywhere else. Speed lives in benchmarks.
hypothesis_settings.register_profile("promzona", deadline=None)
hypothesis_settings.load_profile("promzona")


@pytest.fixture(autouse=True)
def english():
    """Tests read English messages unless they ask for another language; the product's default
    (Russian) is tested explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


def path_in(path: str, lang: str) -> str:
    """``path`` in ``lang``: a page's address without a language prefix gets ``/kk`` or ``/en``
    (Russian has none); prefixed addresses and those outside the language patterns (API, OGC,
    files) stay as they are."""
    from django.conf import settings
    from django.utils.translation import get_language_from_path

    from promzona.middleware import without_language

    if lang == settings.LANGUAGE_CODE or not path.startswith("/") or path.startswith("//") \
            or get_language_from_path(path) or without_language(path.split("?", 1)[0]):
        return path
    return f"/{lang}{path}"


@pytest.fixture(scope="session", autouse=True)
def service_settings():
    """Tasks run where they are enqueued (django-tasks' immediate backend), as a worker would
    run them (the worker itself is tested on the database backend); links in mail point at a
    site other than the test client's ``testserver``."""
    from django.test import override_settings

    with override_settings(TASKS={"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            PROMZONA_BASE_URL="https://zone.example.kz"):
        yield


@pytest.fixture(autouse=True)
def mail_links_guard():
    """Every mail any test queues has only absolute links on ``PROMZONA_BASE_URL``: a relative
    link (or another host's) fails the test that made it (see ``tests/mail.py``)."""
    from django.conf import settings
    from django.db.models.signals import pre_save

    from promzona.outbox.models import OutgoingEmail
    from tests.mail import bad_links

    def check(sender, instance, **kwargs):
        bad = bad_links(instance.body, settings.PROMZONA_BASE_URL)
        assert not bad, f"mail links not on {settings.PROMZONA_BASE_URL}: {bad}"

    pre_save.connect(check, sender=OutgoingEmail, weak=False, dispatch_uid="mail_links_guard")
    yield
    pre_save.disconnect(sender=OutgoingEmail, dispatch_uid="mail_links_guard")


@pytest.fixture
def fresh_caches(request, django_db_blocker):
    """Empty every cache before and after a test that has the database. The caches are tables
    of the test database, emptied outside the test's transaction. A test without the database
    can neither read nor write them, and when only such tests run (a file run alone) there is
    no test database to empty: nothing is done then."""
    from django.core.cache import caches

    if not (request.node.get_closest_marker("django_db")
            or {"db", "transactional_db", "live_server"} & set(request.fixturenames)):
        yield
        return

    def clear():
        with django_db_blocker.unblock():
            for cache in caches.all():
                cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def client():
    """Django's test client reading the pages in the language it asks for (Accept-Language,
    English unless a request says otherwise), as a link shared in that language opens: a path
    without a prefix gets ``/en`` (``/kk``); Russian pages have none."""
    from django.test import Client

    class LanguageClient(Client):
        def generic(self, method, path, *args, **kwargs):
            lang = (kwargs.get("HTTP_ACCEPT_LANGUAGE")
                    or self.defaults.get("HTTP_ACCEPT_LANGUAGE", "en"))[:2]
            return super().generic(method, path_in(str(path), lang), *args, **kwargs)

    return LanguageClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once into the test database; per-test transactions roll back on top of it."""
    with django_db_blocker.unblock():
        balkhash.load(today=timezone.localdate())


@pytest.fixture
def demo(db):
    """The demo zone, reloaded if a transactional test flushed the database."""
    from promzona.zones.models import Zone

    balkhash.load(today=timezone.localdate())
    return Zone.objects.get(slug="balkhash")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _login(client, username: str):
    assert client.login(username=username, password=DEMO_PASSWORD), username
    return client


@pytest.fixture
def staff_client(demo, client):
    return _login(client, "demo-staff")


@pytest.fixture
def manager_client(demo, client):
    return _login(client, "demo-manager")


@pytest.fixture
def investor_client(demo, client):
    return _login(client, "demo-investor")


@pytest.fixture
def staff_user(demo):
    from promzona.accounts.models import User

    return User.objects.get(username="demo-staff")


@pytest.fixture
def built(settings, tmp_path, django_capture_on_commit_callbacks):
    """``built(client, url, data)``: ask for a report with a POST to ``url`` as a page does,
    let the worker build it (django-tasks' immediate backend, at commit), follow the redirect
    to its page and download the file; ``(report, response, bytes)``. Files go to a temporary
    ``PROMZONA_VAR_DIR``."""
    from django.urls import reverse

    settings.PROMZONA_VAR_DIR = tmp_path / "var"

    def ask(client, url: str, data: dict | None = None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(url, data or {}, **extra)
        assert r.status_code == 302, r.content[:300]
        page = client.get(r["Location"])
        job = page.context["job"]
        assert page.status_code == 200 and job.status == "done", (job.status, job.error)
        assert 'http-equiv="refresh"' not in page.content.decode()
        file = client.get(reverse("ops:report-file", args=[job.pk]))
        assert file.status_code == 200
        return job, file, b"".join(file.streaming_content)

    return ask
