"""Every refusal a person can meet (400, 403, the CSRF 403, 404, 429, 500) is one of the site's
own pages, in the language of the page — never Django's bare English one."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from django.views import defaults

LANGS = ("ru", "kk", "en")
DJANGO_ENGLISH = ("403 Forbidden", "<h1>Not Found</h1>", "Server Error (500)",
                  "CSRF verification failed", "Bad Request (400)")


def _ours(page: str, lang: str, title: str) -> None:
    with translation.override(lang):
        expected = gettext(title)
    assert f'<html lang="{lang}">' in page and f"<h1>{expected}</h1>" in page, (lang, title)
    if lang != "en":
        assert expected != title, f"{title!r} has no {lang} translation"
    assert not any(s in page for s in DJANGO_ENGLISH)


def _in(lang: str, path: str) -> str:
    """``path`` in ``lang``'s address: the language is in the URL (Russian has no prefix)."""
    return path if lang == "ru" else f"/{lang}{path}"


def _client(lang: str, **kw) -> Client:
    """A browser asking for another language than the address's, which must not win."""
    return Client(HTTP_ACCEPT_LANGUAGE="kk" if lang == "en" else "en", **kw)


@pytest.mark.parametrize("lang", LANGS)
def test_404_is_our_translated_page(demo, lang):
    r = _client(lang).get(_in(lang, "/no-such-page/"))
    assert r.status_code == 404
    _ours(r.content.decode(), lang, "Not found")


@pytest.mark.parametrize("lang", LANGS)
def test_403_of_the_import_page_for_a_manager_is_our_translated_page(demo, lang):
    c = _client(lang)
    assert c.login(username="demo-manager", password="balkhash-demo-2026")
    r = c.get(_in(lang, "/staff/import/"))
    assert r.status_code == 403
    _ours(r.content.decode(), lang, "Access denied")


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_csrf_token_is_our_translated_page(demo, lang):
    r = _client(lang, enforce_csrf_checks=True).post(_in(lang, "/enquiries/new/"), {"name": "x"})
    assert r.status_code == 403
    _ours(r.content.decode(), lang, "The form has expired")


@pytest.mark.parametrize("lang", LANGS)
def test_429_is_our_translated_page(demo, lang, settings):
    settings.PROMZONA_OFFER_RATE = (0, 600)
    r = _client(lang).get(_in(lang, "/match/offer.pdf"), {
        "sector": "C25", "hazard_class": "5", "horizon_years": "10", "power_kw": "7"})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    _ours(r.content.decode(), lang, "Too many requests")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("handler,status,title", [
    (lambda rq: defaults.bad_request(rq, Exception("x")), 400, "Bad request"),
    (lambda rq: defaults.server_error(rq), 500, "Server error"),
])
def test_400_and_500_are_our_translated_pages(db, lang, handler, status, title):
    with translation.override(lang):
        r = handler(RequestFactory().get("/"))
    assert r.status_code == status
    _ours(r.content.decode(), lang, title)


@pytest.mark.parametrize("url", ["/staff/export/nothing.csv", "/download/plots.exe"])
def test_an_unknown_export_is_our_404_page(staff_client, url):
    r = staff_client.get(url)
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.content.decode()
