"""The language is in the address: ``/kk/…``, ``/en/…``, Russian without a prefix; a link opens
in the language it was shared in, old ``/ru/…`` links redirect, pages name their alternates."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from promzona.web.links import localised

ZONE = {"ru": "Малая промышленная зона «Балхаш»", "kk": "«Балқаш» шағын индустриялық аймағы",
        "en": "Balkhash small industrial zone"}


@pytest.mark.parametrize(("prefix", "lang"), [("", "ru"), ("/kk", "kk"), ("/en", "en")])
def test_the_address_decides_the_language_whatever_the_browser_asks(demo, prefix, lang):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en", headers={"Cookie": "django_language=kk"})
    r = browser.get(f"{prefix}/zones/balkhash/")
    assert r.status_code == 200 and r["Content-Language"] == lang
    body = r.content.decode()
    assert f'<html lang="{lang}">' in body and ZONE[lang] in body


def test_every_language_version_of_a_page_is_named_with_hreflang(demo):
    body = Client().get("/kk/plots/balkhash/BLK-01/?x=1").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', body))
    assert alternates == {"ru": "http://testserver/plots/balkhash/BLK-01/?x=1",
                          "x-default": "http://testserver/plots/balkhash/BLK-01/?x=1",
                          "kk": "http://testserver/kk/plots/balkhash/BLK-01/?x=1",
                          "en": "http://testserver/en/plots/balkhash/BLK-01/?x=1"}


def test_the_switcher_keeps_the_page_and_marks_the_current_language(demo):
    body = Client().get("/en/compare/?plots=1,2").content.decode()
    switcher = body.split('class="lang"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/compare/?plots=1,2" hreflang="ru"' in switcher
    assert 'href="/kk/compare/?plots=1,2" hreflang="kk"' in switcher
    assert re.search(r'href="/en/compare/\?plots=1,2" hreflang="en"[^>]*aria-current="true"', switcher)


def test_a_page_without_language_versions_switches_to_the_home_pages(demo):
    body = Client().get("/en/no-such-page/").content.decode()
    assert "hreflang=\"x-default\"" not in body  # a 404 has no alternates
    switcher = body.split('class="lang"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/" hreflang="ru"' in switcher and 'href="/kk/" hreflang="kk"' in switcher


@pytest.mark.parametrize(("old", "new"), [
    ("/ru/news/", "/news/"), ("/ru/news/rss.xml", "/news/rss.xml"), ("/ru", "/"),
    ("/ru/?status=reserved&area_min=1", "/?status=reserved&area_min=1"),
    ("/ru//evil.example/", "/evil.example/"), ("/ru/%5C%5Cevil.example", "/%5C%5Cevil.example"),
])
def test_old_russian_links_redirect_to_the_page_without_a_prefix(db, old, new):
    r = Client().get(old)
    assert r.status_code == 301 and r["Location"] == new


def test_an_old_russian_form_address_keeps_its_method(db):
    assert Client().post("/ru/news/x/comment/", {"a": "1"}).status_code == 308


def test_addresses_without_a_language_keep_the_negotiation(demo):
    assert Client(HTTP_ACCEPT_LANGUAGE="kk").get("/api/nothing")["Content-Language"] == "kk"
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get("/ogc/")["Content-Language"] == "en"
    assert Client().get("/ogc/").status_code == 200
    assert Client().get("/en/ogc/").status_code == 404
    assert Client().get("/en/api/health").status_code == 404


@pytest.mark.parametrize(("url", "lang", "expected"), [
    ("/match/?saved=3", "en", "/en/match/?saved=3"),
    ("/kk/plots/balkhash/BLK-01/", "ru", "/plots/balkhash/BLK-01/"),
    ("/en/projects/7/", "kk", "/kk/projects/7/"),
    ("/api/plots", "en", "/api/plots"),
    ("/no/such/page/", "en", "/no/such/page/"),
])
def test_a_stored_link_opens_in_the_readers_language(db, url, lang, expected):
    assert localised(url, lang) == expected


def test_names_as_typed_say_their_language_where_it_is_not_the_pages(demo):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load portal %}{{ name|as_written }}")
    for lang, expected in (("en", '<span lang="ru">Цех &lt;b&gt;металла&lt;/b&gt;</span>'),
                           ("ru", "Цех &lt;b&gt;металла&lt;/b&gt;"),
                           ("kk", '<span lang="ru">Цех &lt;b&gt;металла&lt;/b&gt;</span>')):
        with translation.override(lang):
            assert template.render(Context({"name": "Цех <b>металла</b>"})) == expected
    with translation.override("ru"):
        assert template.render(Context({"name": "Copper plant"})) == '<span lang="en">Copper plant</span>'


def test_a_project_named_in_russian_is_marked_on_the_english_pages(demo, manager_client, today):
    from promzona.demo import execution
    from promzona.projects.models import Project

    execution.load(today=today)
    project = Project.objects.order_by("pk").first()
    body = manager_client.get(f"/projects/{project.pk}/").content.decode()
    assert f'<span lang="ru">{project.name}</span>' in body
