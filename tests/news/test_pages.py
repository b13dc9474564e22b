"""The news pages, feeds, sitemap and admin: XSS inert everywhere, feeds parsed back by a real
feed parser in each language, CLDR dates, fallback, discovery, and bad input refused."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from promzona.news import comments, services
from promzona.news.events import rubric_for
from promzona.news.models import Article, Comment
from promzona.zones.models import Plot
from tests.payloads import XSS

from .conftest import jpeg, make_article

SEPT_8 = dt.datetime(2025, 9, 8, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))


class _Sinks(HTMLParser):
    """Collects what would execute: injected elements, on* attributes, script URLs, and
    script elements other than our static files and our own (payload-free) inline ones."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag in ("iframe", "object", "embed", "style", "img") and not (
                tag == "img" and src.startswith(("/news-photo/", "/static/", "/brand/logo-"))):
            self.found.append(f"<{tag} {src}>")
        if tag == "script":
            self._script = not src
            if src and not src.startswith(("/static/", "/admin/jsi18n/", "/kk/admin/jsi18n/",
                                            "/en/admin/jsi18n/")):
                self.found.append(f"<script src={src}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if tag in ("a", "form", "iframe", "img") and name in ("href", "src", "action") and \
                    (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and "alert" in data:
            self.found.append(f"<script>{data[:40]}")


def assert_inert(html: str) -> None:
    parser = _Sinks()
    parser.feed(html)
    assert parser.found == []


def main_of(html: str) -> str:
    """The page's own content, without the news feed column beside it."""
    return html.split('class="news-main"', 1)[1].split('id="feed-heading"', 1)[0]


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def hostile(editor, now):
    """An article and an approved comment carrying every payload in every text field."""
    text = " ".join(XSS)
    a = make_article(editor, photo=jpeg(), title_ru=text[:200], title_en=text[:200],
                     lead_ru=text, lead_en=text, body_ru=text, body_en="<p>" + text + "</p>",
                     photo_alt_ru=text[:300], photo_alt_en=text[:300], photo_credit=text[:200],
                     byline=text[:150], place_en=text[:100], source_label=text[:200])
    services.article_save(actor=editor, now=now, article=a, fields={}, tags=XSS[:3])
    c = comments.comment_post(article=a, name=XSS[1][:80], text=XSS[0] + " " + XSS[2],
                              address="198.51.100.1", now=now,
                              token=comments.form_token(article=a, now=now - dt.timedelta(seconds=9)))
    comments.comment_moderate(actor=editor, comment=c, decision="approve", now=now)
    a.refresh_from_db()
    return a


def test_xss_payloads_are_inert_on_the_news_pages(client, hostile):
    for path in [url("news:article", hostile.slug), url("news:article", hostile.slug, lang="ru"),
                 url("news:index"), url("news:rubric", hostile.rubric.slug), "/",
                 url("news:search") + "?q=script"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert_inert(r.content.decode())
    page = client.get(url("news:article", hostile.slug)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not dropped silently


def test_xss_payloads_are_inert_in_the_feeds(client, hostile):
    for name in ("news:rss", "news:atom"):
        body = client.get(url(name)).content
        root = ET.fromstring(body)  # noqa: S314 - our own feed; well-formed: nothing broke out
        titles = [e.text for e in root.iter() if e.tag.endswith("title")]
        assert hostile.title_en in titles  # the payload is text inside <title>, not markup
        parsed = feedparser.parse(body)
        assert not parsed.bozo


def test_xss_payloads_are_inert_in_the_admin_and_the_newsroom(staff_client, hostile):
    comment = Comment.objects.get(article=hostile)
    for path in ["/admin/news/article/", f"/admin/news/article/{hostile.pk}/change/",
                 "/admin/news/comment/", f"/admin/news/comment/{comment.pk}/change/",
                 url("news:desk"), url("news:desk-edit", hostile.pk),
                 url("news:moderation") + "?status=approved"]:
        r = staff_client.get(path)
        assert r.status_code == 200, path
        assert_inert(r.content.decode())


@pytest.mark.parametrize("lang, expected", [
    ("ru", "понедельник, 8 сентября 2025 г."),
    ("kk", "2025 ж. 8 қыркүйек, дүйсенбі"),
    ("en", "Monday, September 8, 2025"),
])
def test_the_date_has_its_weekday_as_each_language_writes_it(client, editor, lang, expected):
    a = make_article(editor, publish_at=SEPT_8, title_kk="Т", lead_kk="Л", body_kk="<p>М</p>",
                     title_en="T", lead_en="L", body_en="<p>B</p>")
    page = client.get(url("news:article", a.slug, lang=lang), HTTP_ACCEPT_LANGUAGE=lang)
    # CLDR puts a narrow no-break space before "г."
    assert expected in page.content.decode().replace("\u202f", " ")


def test_a_missing_translation_shows_russian_with_a_note(client, editor):
    a = make_article(editor, title_ru="Только по-русски")
    page = client.get(url("news:article", a.slug, lang="kk")).content.decode()
    assert "Только по-русски" in page and 'class="fallback-note"' in page
    ru = client.get(url("news:article", a.slug, lang="ru"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'class="fallback-note"' not in ru


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_language_has_feeds_parsed_back_with_the_photo_enclosure(client, editor, lang):
    a = make_article(editor, photo=jpeg(), title_ru="Русский заголовок", title_kk="Қазақша",
                     lead_kk="Лид", body_kk="<p>Мәтін</p>", title_en="English title",
                     lead_en="Lead", body_en="<p>Text</p>")
    expected = {"ru": "Русский заголовок", "kk": "Қазақша", "en": "English title"}[lang]
    for name in ("news:rss", "news:atom"):
        r = client.get(url(name, lang=lang), HTTP_ACCEPT_LANGUAGE=lang)
        assert r.status_code == 200
        feed = feedparser.parse(r.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.get("language", lang).startswith(lang)
        entry = next(e for e in feed.entries if e.link.endswith(url("news:article", a.slug, lang=lang)))
        assert entry.title == expected
        enclosure = [link for link in entry.links if link.get("rel") == "enclosure"]
        assert enclosure and enclosure[0]["type"] == "image/jpeg"
        photo = client.get(enclosure[0]["href"].removeprefix("http://testserver"))
        assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_feeds_hold_only_public_articles(client, editor, now):
    make_article(editor, title_ru="Запланировано", publish_at=now + dt.timedelta(days=1))
    make_article(editor, title_ru="Черновик", publish=False)
    titles = {e.title for e in feedparser.parse(
        client.get(url("news:rss", lang="ru"), HTTP_ACCEPT_LANGUAGE="ru").content).entries}
    assert "Запланировано" not in titles and "Черновик" not in titles


def test_news_pages_advertise_a_feed_per_language(client, editor):
    a = make_article(editor)
    for path in (url("news:index"), url("news:article", a.slug)):
        page = client.get(path).content.decode()
        for lang in ("ru", "kk", "en"):
            assert (f'<link rel="alternate" type="application/rss+xml" hreflang="{lang}"' in page)
            assert (f'<link rel="alternate" type="application/atom+xml" hreflang="{lang}"' in page)
            assert f'href="{url("news:rss", lang=lang)}"' in page


def test_the_article_page_has_breadcrumb_share_and_card_meta(client, editor):
    a = make_article(editor, photo=jpeg(), title_en="Airport", lead_en="Lead", body_en="<p>B</p>",
                     byline="A. Writer", place_en="Balkhash", photo_credit="Jane Doe")
    page = client.get(url("news:article", a.slug)).content.decode()
    for needle in ['class="breadcrumb"', 'property="og:title" content="Airport"',
                   'property="og:image" content="http://testserver/news-photo/',
                   'name="twitter:card" content="summary_large_image"', "t.me/share/url?",
                   "Jane Doe", "A. Writer", "Balkhash", 'hreflang="kk" href="http://testserver/kk/news/']:
        assert needle in page, needle


def test_a_comment_posted_without_javascript_awaits_moderation(client, editor, now):
    a = make_article(editor)
    page = client.get(url("news:article", a.slug)).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    signed = comments.form_token(article=a, now=now - dt.timedelta(seconds=30))
    assert token  # the page's own token; an older one stands in for a reader who took their time
    r = client.post(url("news:comment", a.slug), {"name": "Ann", "text": "Good", "token": signed,
                                                  "website": ""}, follow=True)
    assert r.status_code == 200 and "awaiting moderation" in r.content.decode()
    assert "Good" not in r.content.decode().split('id="comments"', 1)[1].split("<form", 1)[0]
    assert Comment.objects.get(article=a).status == "pending"


def test_a_refused_comment_keeps_what_was_typed_and_stores_nothing(client, editor):
    a = make_article(editor)
    r = client.post(url("news:comment", a.slug), {"name": "Bot", "text": "spam text",
                                                  "token": "forged", "website": "x"})
    assert r.status_code == 400 and "spam text" in r.content.decode()
    assert not Comment.objects.filter(article=a).exists()


@pytest.mark.parametrize("data", [{}, {"name": "x" * 500, "text": "t", "token": "t"},
                                  {"name": "n", "text": "x" * 5000, "token": "t"}])
def test_a_broken_comment_form_is_a_400(client, editor, data):
    a = make_article(editor)
    assert client.post(url("news:comment", a.slug), data).status_code == 400
    assert not Comment.objects.filter(article=a).exists()


def test_drafts_and_scheduled_articles_are_404_for_readers_not_for_the_newsroom(
        editor_client, editor, now):
    reader = Client()
    for a in (make_article(editor, publish=False, photo=jpeg()),
              make_article(editor, publish_at=now + dt.timedelta(days=1))):
        assert reader.get(url("news:article", a.slug)).status_code == 404
        assert reader.get(a.photo_path() or url("news:article", a.slug)).status_code == 404
        r = editor_client.get(url("news:article", a.slug))
        assert r.status_code == 200 and "Only the newsroom sees this page" in r.content.decode()


def test_the_sitemap_lists_each_article_with_hreflang_alternates(client, editor):
    a = make_article(editor)
    xml = client.get("/sitemap.xml").content.decode()
    for lang in ("ru", "kk", "en"):
        assert f'hreflang="{lang}" href="http://testserver{url("news:article", a.slug, lang=lang)}"' in xml
    assert 'hreflang="x-default"' in xml


def test_search_finds_titles_and_refuses_long_queries(client, editor):
    make_article(editor, title_ru="Аэропорт Балхаша")
    assert "Аэропорт Балхаша" in client.get(url("news:search") + "?q=балхаш").content.decode()
    assert client.get(url("news:search") + "?q=" + "x" * 101).status_code == 400


def test_navigation_has_news_and_the_home_page_the_latest_three(client, editor, now):
    for i in range(4):
        make_article(editor, title_ru=f"Новость {i}", title_en=f"Story {i}", lead_en="l",
                     body_en="<p>b</p>", publish_at=now - dt.timedelta(hours=10 - i))
    page = client.get("/").content.decode()
    assert f'href="{url("news:index")}"' in page
    latest = page.split('id="news-latest-h"', 1)[1]
    assert all(f"Story {i}" in latest for i in (1, 2, 3)) and "Story 0" not in latest


def test_the_passport_and_the_zone_page_link_back_to_their_news(client, editor, demo, now):
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").last()
    a = make_article(editor, title_en="About the plot", lead_en="l", body_en="<p>b</p>")
    other = make_article(editor, title_en="About another plot", lead_en="l", body_en="<p>b</p>")
    services.article_save(actor=editor, now=now, article=a, fields={}, about=[plot, demo])
    page = client.get(f"/plots/{demo.slug}/{plot.code}/").content.decode()
    assert url("news:article", a.slug) in page and url("news:article", other.slug) not in page
    zone_page = client.get(url("web:zone", demo.slug)).content.decode()
    news = zone_page.split('id="news-about-h"', 1)[1].split("</section>", 1)[0]
    assert url("news:article", a.slug) in news and url("news:article", other.slug) not in news
    article_page = client.get(url("news:article", a.slug)).content.decode()
    assert f"/plots/{demo.slug}/{plot.code}/" in article_page
    assert f'href="{url("web:zone", demo.slug)}"' in article_page


def test_a_link_to_a_plot_taken_off_the_portal_is_hidden_from_readers(client, editor, demo, now):
    plot = Plot.objects.filter(zone=demo, status="draft").first()
    a = make_article(editor, title_en="Soon", lead_en="l", body_en="<p>b</p>")
    services.article_save(actor=editor, now=now, article=a, fields={}, about=[plot])
    assert f"/plots/{demo.slug}/{plot.code}/" not in client.get(
        url("news:article", a.slug)).content.decode()


# --- the newsroom's pages ---------------------------------------------------------------


def test_the_editor_writes_side_by_side_and_publishes(editor_client, now):
    r = editor_client.post(url("news:desk-new"), {
        "rubric": rubric_for(slug="investors").pk, "title_ru": "Новое", "lead_ru": "Лид",
        "body_ru": "<p>Текст<script>x()</script></p>", "title_en": "New", "comments_open": "on",
        "tags": "медь, аэропорт", "photo": _upload(jpeg()), "photo_credit": "Редакция"})
    assert r.status_code == 302
    a = Article.objects.get(title_ru="Новое")
    assert a.body_ru == "<p>Текст</p>" and a.photo and a.tags.count() == 2
    for status in ("review", "published"):
        editor_client.post(url("news:desk-status", a.pk), {"status": status})
    a.refresh_from_db()
    assert a.status == "published"


def _upload(data, name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.mark.parametrize("data", [
    {"title_ru": ""},
    {"title_ru": "x" * 300},
    {"rubric": "999999"},
    {"photo": "not-an-image"},
    {"photo_credit": ""},
    {"plots": "NO-SUCH-PLOT"},
    {"source_url": "javascript:alert(1)"},
])
def test_bad_input_on_the_editor_form_is_a_400_and_changes_nothing(editor_client, editor, data):
    a = make_article(editor, publish=False, title_ru="Как было")
    form = {"rubric": a.rubric_id, "title_ru": "Изменено", "photo_credit": "c"}
    form.update(data)
    if data.get("photo") == "not-an-image":
        form["photo"] = _upload(b"<svg onload=alert(1)>", "x.jpg")
    elif "photo_credit" in data:
        form["photo"] = _upload(jpeg())
    r = editor_client.post(url("news:desk-edit", a.pk), form)
    assert r.status_code == 400
    a.refresh_from_db()
    assert a.title_ru == "Как было" and not a.photo


def test_a_wrong_status_or_time_changes_nothing(editor_client, editor):
    a = make_article(editor, publish=False)
    for data in ({"status": "nonsense"}, {"status": "published", "publish_at": "tomorrow"},
                 {"status": "published"}):
        editor_client.post(url("news:desk-status", a.pk), data)
        a.refresh_from_db()
        assert a.status == "draft"


def test_moderation_queue_approves_rejects_and_bans(editor_client, editor, now):
    a = make_article(editor)
    c = comments.comment_post(article=a, name="N", text="T", address="198.51.100.9", now=now,
                              token=comments.form_token(article=a, now=now - dt.timedelta(seconds=9)))
    assert "T" in editor_client.get(url("news:moderation")).content.decode()
    editor_client.post(url("news:moderate", c.pk, "approve"))
    c.refresh_from_db()
    assert c.status == "approved"
    editor_client.post(url("news:moderate", c.pk, "ban"))
    assert editor_client.post(url("news:moderate", c.pk, "explode")).status_code == 404


def test_text_that_bypassed_the_service_is_still_cleaned_on_output(client, editor):
    a = make_article(editor, title_en="T", lead_en="L", body_en="<p>B</p>")
    Article.objects.filter(pk=a.pk).update(body_en='<p>ok</p><script>alert(1)</script>'
                                                   '<img src=x onerror=alert(2)>')
    page = client.get(url("news:article", a.slug)).content.decode()
    assert "<p>ok</p>" in page
    assert_inert(page)


def test_the_desk_names_the_event_a_draft_came_from_not_its_code(editor_client):
    """Drafts written by the zone's events say which event in the reader's language."""
    html = editor_client.get(url("news:desk", lang="ru"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "участок предложен инвесторам" in html and "plot.published" not in html


def test_works_and_instructions_an_article_is_about_link_for_those_who_may_open_them(
        staff_client, staff_user, editor, demo, now):
    from promzona.instructions.models import Instruction
    from tests.works.conftest import make_work

    work = make_work(staff_user, demo, name="Airport apron", today=now.date())
    instruction = Instruction.objects.first()
    a = make_article(editor, title_en="Done", lead_en="l", body_en="<p>b</p>")
    services.article_save(actor=editor, now=now, article=a, fields={}, about=[work, instruction])
    cards = [url("works:detail", work.pk), url("instructions:detail", instruction.pk)]
    public = Client().get(url("news:article", a.slug)).content.decode()
    about = public.split('id="about-h"', 1)[1].split("</section>", 1)[0]
    assert work.name in about and all(f'href="{c}"' not in public for c in cards)
    office = staff_client.get(url("news:article", a.slug)).content.decode()
    assert all(f'href="{c}"' in office for c in cards)
    assert staff_client.get(cards[0]).status_code == 200


def test_the_front_page_has_the_lead_story_rubrics_and_latest_paged(editor, now):
    reader = Client()
    stories = [make_article(editor, title_en=f"Story {i:02}", lead_en="l", body_en="<p>b</p>",
                            publish_at=now - dt.timedelta(minutes=60 - i)) for i in range(14)]
    lead = make_article(editor, photo=jpeg(), title_en="The lead", lead_en="l", body_en="<p>b</p>",
                        publish_at=now - dt.timedelta(minutes=70))
    first = reader.get(url("news:index")).content.decode()
    story = first.split('class="lead-story"', 1)[1].split("</section>", 1)[0]
    assert "The lead" in story  # the latest with a photo, though older than the others
    by_rubric = first.split('class="by-rubric"', 1)[1].split("</section>", 1)[0]
    assert lead.rubric.name_en in by_rubric and "Story 13" in by_rubric
    latest = main_of(first).split(">Latest</h2>", 1)[1]
    assert "Story 13" in latest and "Story 02" in latest and "Story 01" not in latest
    second = main_of(reader.get(url("news:index") + "?page=2").content.decode()).split(
        ">Latest</h2>", 1)[1]
    assert "Story 01" in second and "Story 00" in second and "Story 13" not in second
    assert len(stories) == 14


@pytest.mark.parametrize("number", ["-1", "0", "abc", "1e9", "99999999999999999999", "9" * 5000,
                                    "2&page=3", "%D9%A3", "1%27%20OR%201=1--", "%00"])
def test_hostile_page_numbers_give_a_page_not_an_error(editor, number):
    a = make_article(editor, title_en="Paged", lead_en="l", body_en="<p>b</p>")
    services.article_save(actor=editor, now=a.created_at, article=a, fields={}, tags=["медь"])
    reader = Client()
    for path in (url("news:index"), url("news:rubric", a.rubric.slug), url("news:tag", "med"),
                 url("news:search") + "?q=paged&x=1"):
        r = reader.get(path + ("&" if "?" in path else "?") + "page=" + number)
        assert r.status_code in (200, 400), path  # 400: the NUL byte, refused before the view
        assert r.status_code == 400 or "Paged" in main_of(r.content.decode()), path


@pytest.mark.parametrize("lang, query, title", [("ru", "МЕДЬ", "Медь Балхаша"),
                                                ("kk", "МЫС", "Балқаш мысы"),
                                                ("en", "COPPER", "Balkhash copper")])
def test_search_finds_titles_and_leads_on_each_language_page(editor, lang, query, title):
    make_article(editor, title_ru="Медь Балхаша", lead_ru="Лид", title_kk="Балқаш мысы",
                 lead_kk="Мыс туралы", body_kk="<p>м</p>", title_en="Balkhash copper",
                 lead_en="About copper", body_en="<p>c</p>")
    page = Client().get(url("news:search", lang=lang) + "?q=" + query,
                        HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert title in main_of(page)


def test_a_commenters_email_is_never_shown(editor, now):
    a = make_article(editor, title_en="Mail", lead_en="l", body_en="<p>b</p>")
    c = comments.comment_post(article=a, name="Ann", text="Hello", email="ann.secret@example.org",
                              address="198.51.100.7", now=now,
                              token=comments.form_token(article=a, now=now - dt.timedelta(seconds=9)))
    comments.comment_moderate(actor=editor, comment=c, decision="approve", now=now)
    reader = Client()
    for lang in ("ru", "kk", "en"):
        for path in (url("news:article", a.slug, lang=lang), url("news:index", lang=lang),
                     url("news:rss", lang=lang), url("news:atom", lang=lang),
                     url("news:search", lang=lang) + "?q=mail", "/sitemap.xml"):
            body = reader.get(path, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
            assert "Hello" in body or "article" not in path
            assert "ann.secret" not in body, path


def test_the_breadcrumb_is_home_news_rubric_title(editor):
    a = make_article(editor, title_en="Airport", lead_en="Lead", body_en="<p>B</p>")
    page = Client().get(url("news:article", a.slug)).content.decode()
    crumb = page.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    hrefs = [part.split('"', 1)[0] for part in crumb.split('href="')[1:]]
    assert hrefs == [url("web:home"), url("news:index"), url("news:rubric", a.rubric.slug)]
    assert crumb.index("Home") < crumb.index(a.rubric.name_en) < crumb.index("Airport")


def test_a_photo_uploaded_in_the_editor_is_stored_without_its_gps_position(editor_client, editor):
    import io

    from PIL import Image

    from tests.core.test_images import GPS_IFD, _jpeg_with_gps

    a = make_article(editor, publish=False)
    r = editor_client.post(url("news:desk-edit", a.pk), {
        "rubric": a.rubric_id, "title_ru": a.title_ru, "photo_credit": "Редакция",
        "photo": _upload(_jpeg_with_gps())})
    assert r.status_code == 302
    a.refresh_from_db()
    for stored in (a.photo, a.photo_thumb):
        with stored.open("rb") as f, Image.open(io.BytesIO(f.read())) as img:
            assert img.format == "JPEG" and not img.getexif().get_ifd(GPS_IFD)
            assert not img.getexif() and "exif" not in img.info


def _bomb() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels in a few kilobytes
    return out.getvalue()


@pytest.mark.parametrize("make, name, message", [
    (lambda: b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "big.jpg", "10 MB"),
    (lambda: jpeg((40, 30), fmt="GIF"), "anim.gif", "JPEG, PNG or WebP"),
    (_bomb, "bomb.png", "40 megapixels"),
    (lambda: b"GIF89a<script>alert(1)</script>", "x.jpg", "not a readable image"),
])
def test_a_refused_photo_upload_in_the_editor_writes_nothing(editor_client, editor, settings,
                                                             make, name, message):
    a = make_article(editor, publish=False, title_ru="Как было")
    r = editor_client.post(url("news:desk-edit", a.pk), {
        "rubric": a.rubric_id, "title_ru": "Изменено", "photo_credit": "c",
        "photo": _upload(make(), name)})
    assert r.status_code == 400 and message in r.content.decode()
    a.refresh_from_db()
    assert a.title_ru == "Как было" and not a.photo
    media = settings.MEDIA_ROOT / "news"
    assert not media.exists() or not any(media.iterdir())


def test_editing_a_draft_in_the_newsroom_keeps_the_work_or_instruction_it_came_from(
        editor_client, demo, now):
    from promzona.instructions.models import Instruction
    from promzona.news.events import article_draft_from_event
    from promzona.news.models import ArticleLink

    instruction = Instruction.objects.filter(status="issued").first()
    draft = article_draft_from_event(event="instruction.accepted", obj=instruction, now=now)
    before = set(ArticleLink.objects.filter(article=draft).values_list(
        "content_type__model", "object_id"))
    assert ("instruction", str(instruction.pk)) in before
    r = editor_client.post(url("news:desk-edit", draft.pk), {
        "rubric": draft.rubric_id, "title_ru": "Поручение исполнено", "plots": ""})
    assert r.status_code == 302
    after = set(ArticleLink.objects.filter(article=draft).values_list(
        "content_type__model", "object_id"))
    assert ("instruction", str(instruction.pk)) in after
    draft.refresh_from_db()
    assert draft.title_ru == "Поручение исполнено"


def test_an_article_closed_to_comments_shows_no_form_and_refuses_a_post(editor, now):
    a = make_article(editor, title_en="Closed", lead_en="l", body_en="<p>b</p>")
    services.article_save(actor=editor, now=now, article=a, fields={"comments_open": False})
    reader = Client()
    page = reader.get(url("news:article", a.slug)).content.decode()
    assert 'class="stack comment-form"' not in page and "Comments on this article are closed" in page
    r = reader.post(url("news:comment", a.slug), {
        "name": "Ann", "text": "Late", "website": "",
        "token": comments.form_token(article=a, now=now - dt.timedelta(seconds=30))})
    assert r.status_code == 409 and not Comment.objects.filter(article=a).exists()


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_demo_article_says_it_is_illustrative_and_links_its_source(demo, lang):
    reader = Client()
    shown = Article.objects.filter(is_illustrative=True, status="published")
    assert shown.count() >= 4
    for a in shown:
        page = main_of(reader.get(url("news:article", a.slug, lang=lang),
                                  HTTP_ACCEPT_LANGUAGE=lang).content.decode())
        assert 'class="illustrative-note"' in page, a.slug
        assert not a.source_url or f'<a href="{a.source_url}"' in page, a.slug
        assert "promzona" in page.split('class="credit"', 1)[1].split("</figcaption>", 1)[0]


def test_staff_link_an_article_to_works_and_instructions_they_may_open(
        staff_client, staff_user, editor, demo):
    from promzona.instructions.models import Instruction
    from promzona.news.models import ArticleLink
    from tests.works.conftest import make_work

    work = make_work(staff_user, demo, name="Airport apron", today=dt.date.today())
    instruction = Instruction.objects.first()
    a = make_article(editor, publish=False)
    r = staff_client.post(url("news:desk-edit", a.pk), {
        "rubric": a.rubric_id, "title_ru": a.title_ru, "works": [work.pk],
        "instructions": [instruction.pk]})
    assert r.status_code == 302
    linked = set(ArticleLink.objects.filter(article=a).values_list("content_type__model",
                                                                   "object_id"))
    assert linked == {("work", str(work.pk)), ("instruction", str(instruction.pk))}
    form = staff_client.get(url("news:desk-edit", a.pk)).content.decode()
    assert f'value="{work.pk}" selected' in form and "Airport apron" in form


@pytest.mark.parametrize("data", [{"works": ["abc"]}, {"works": ["999999"]},
                                  {"instructions": ["-1"]}, {"works": "__WORK__"}])
def test_a_work_or_instruction_the_writer_may_not_open_is_refused(editor_client, editor,
                                                                  staff_user, demo, data):
    from promzona.news.models import ArticleLink
    from tests.works.conftest import make_work

    work = make_work(staff_user, demo, name="Internal", today=dt.date.today())
    if data.get("works") == "__WORK__":
        data = {"works": [work.pk]}  # the editor role may not open works
    a = make_article(editor, publish=False, title_ru="Как было")
    r = editor_client.post(url("news:desk-edit", a.pk), {
        "rubric": a.rubric_id, "title_ru": "Изменено", **data})
    assert r.status_code == 400 and "Internal" not in r.content.decode()
    a.refresh_from_db()
    assert a.title_ru == "Как было" and not ArticleLink.objects.filter(article=a).exists()
