"""In Chromium: a reader reads an article and comments, sees "awaiting moderation"; staff
approve it in the queue; the reader sees it appear."""

from __future__ import annotations

import pytest

from tests.browser import chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def slug(transactional_db, settings, tmp_path):
    """The demo (with its articles), loaded before Playwright starts its event loop."""
    from django.utils import timezone

    from promzona.demo import balkhash
    from promzona.news.models import Article

    settings.MEDIA_ROOT = tmp_path / "media"
    balkhash.load(today=timezone.localdate())
    return Article.objects.filter(is_illustrative=True, title_en__gt="").order_by("publish_at") \
        .first().slug


@pytest.fixture
def browser(slug):
    with chromium() as b:
        yield b


def test_read_comment_moderate_and_see_it_appear(live_server, browser, slug):
    reader = browser.new_context(locale="en-US").new_page()
    reader.goto(f"{live_server.url}/en/news/")
    reader.click(f"a[href='/en/news/{slug}/'] >> nth=0")
    assert reader.locator("h1").inner_text()
    assert "2025" in reader.locator(".dateline").inner_text()
    reader.fill("#id_name", "Browser reader")
    reader.fill("#id_text", "A comment typed in Chromium")
    reader.wait_for_timeout(3500)  # a person takes a few seconds; robots are refused faster
    reader.click(".comment-form button[type=submit]")
    assert "awaiting moderation" in reader.locator(".notice").inner_text()
    assert "A comment typed in Chromium" not in reader.locator("#comments").inner_text()

    staff = browser.new_context(locale="en-US").new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.fill("input[name=username]", "demo-staff")
    staff.fill("input[name=password]", "balkhash-demo-2026")
    staff.click("form.stack button[type=submit]")
    staff.goto(f"{live_server.url}/en/news/desk/comments/")
    item = staff.locator(".comment.moderation", has_text="A comment typed in Chromium")
    item.locator("form[action$='/approve/'] button").click()
    assert "Approved" in staff.locator(".notice").inner_text()

    reader.reload()
    assert "A comment typed in Chromium" in reader.locator("#comments").inner_text()
    assert "Browser reader" in reader.locator("#comments").inner_text()
