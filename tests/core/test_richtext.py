"""Sanitising, plain text, links and slugs of news text."""

import pytest

from promzona.core import richtext

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("payload, forbidden", [
    ("<script>alert(1)</script><p>ok</p>", "<script"),
    ('<p onclick="alert(1)">x</p>', "onclick"),
    ('<img src=x onerror="alert(1)">', "<img"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
    ("<iframe src=//evil.example></iframe>", "<iframe"),
    ("<style>p{}</style><p>x</p>", "<style"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
])
def test_dangerous_markup_is_removed(payload, forbidden):
    assert forbidden.lower() not in richtext.sanitise_html(payload).lower()


def test_allowed_markup_and_links_survive_with_rel():
    html = richtext.sanitise_html('<h2>T</h2><p><strong>a</strong> <a href="https://e.example/x">l</a></p>')
    assert "<h2>T</h2>" in html and "<strong>a</strong>" in html
    assert 'href="https://e.example/x"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_control_characters_are_dropped():
    assert richtext.sanitise_html("<p>a\x00b\x07c</p>") == "<p>abc</p>"
    assert richtext.plain(" a\x00 \n b ") == "a b"


def test_plain_block_keeps_line_breaks():
    assert richtext.plain_block("one\r\ntwo\n\n\n\nthree ") == "one\ntwo\n\nthree"


@pytest.mark.parametrize("text, n", [
    ("no links here", 0), ("https://a.example", 1), ("http://a and www.b.example", 2),
    ("[url=x]y[/url] <a href=z>", 2), ("HTTPS://A.EXAMPLE", 1),
])
def test_links_are_counted(text, n):
    assert richtext.count_links(text) == n


@pytest.mark.parametrize("title, slug", [
    ("Аким области посетил Балхаш", "akim-oblasti-posetil-balkhash"),
    ("Әуежай қайта жаңартылды", "auezhai-qaita-zhangartyldy"),
    ("Plot BLK-01 offered!", "plot-blk-01-offered"),
    ("<script>", "script"), ("", ""),
])
def test_titles_become_ascii_slugs(title, slug):
    assert richtext.slugify_title(title) == slug


def test_html_to_text_keeps_words_only():
    assert richtext.html_to_text("<p>a&amp;b</p><p>c<script>x()</script></p>") == "a&b c"


def test_search_key_is_case_folded():
    assert richtext.search_key("Балхаш", "AIRPORT") == "балхаш airport"
