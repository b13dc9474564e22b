"""Comments: invisible until approved; each anti-spam rule refuses and stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from promzona.accounts.models import User
from promzona.core.errors import Conflict, Forbidden, InputError, NotFound
from promzona.news import comments, selectors, services
from promzona.news.models import BannedAddress, Comment
from promzona.web import antispam

from .conftest import make_article

ADDRESS = "203.0.113.7"


@pytest.fixture
def article(editor):
    return make_article(editor)


def post(article, now, **kw):
    args = {"name": "Айгерим", "text": "Хорошая новость", "address": ADDRESS,
            "token": comments.form_token(article=article, now=now - dt.timedelta(seconds=10)),
            "now": now, **kw}
    return comments.comment_post(article=article, **args)


def test_a_new_comment_is_invisible_until_approved(article, editor, now):
    c = post(article, now)
    assert c.status == "pending"
    assert list(selectors.approved_comments(article)) == []
    comments.comment_moderate(actor=editor, comment=c, decision="approve", now=now)
    assert list(selectors.approved_comments(article)) == [c]


def test_a_rejected_comment_stays_hidden(article, editor, now):
    c = post(article, now)
    comments.comment_moderate(actor=editor, comment=c, decision="reject", now=now)
    assert list(selectors.approved_comments(article)) == []


@pytest.mark.parametrize("kw, error, field", [
    ({"honeypot": "http://spam.example"}, InputError, "website"),
    ({"token": "forged"}, InputError, "token"),
    ({"text": "buy http://a.example http://b.example www.c.example"}, InputError, "text"),
    ({"name": ""}, InputError, "name"),
    ({"name": "x" * 81}, InputError, "name"),
    ({"text": "x" * 3001}, InputError, "text"),
    ({"text": " \x00 "}, InputError, "text"),
    ({"email": "not-an-email"}, InputError, "email"),
])
def test_each_rule_refuses_and_stores_nothing(article, now, kw, error, field):
    with pytest.raises(error) as exc:
        post(article, now, **kw)
    assert exc.value.field == field
    assert not Comment.objects.filter(article=article).exists()


def test_a_form_sent_too_fast_is_refused(article, now):
    token = comments.form_token(article=article, now=now - dt.timedelta(seconds=1))
    with pytest.raises(InputError, match="too fast"):
        post(article, now, token=token)
    assert antispam.MIN_FILL_SECONDS <= 5
    assert post(article, now + dt.timedelta(seconds=antispam.MIN_FILL_SECONDS), token=token)


def test_a_form_older_than_a_day_or_for_another_article_is_refused(article, editor, now):
    old = comments.form_token(article=article, now=now - dt.timedelta(days=2))
    other = comments.form_token(article=make_article(editor, title_ru="Другая"),
                                now=now - dt.timedelta(minutes=1))
    for token in (old, other):
        with pytest.raises(InputError, match="expired"):
            post(article, now, token=token)


def test_the_rate_limit_refuses_the_fourth_comment_from_one_address(article, now):
    for i in range(comments.RATE_LIMIT):
        post(article, now + dt.timedelta(seconds=i), text=f"comment {i}")
    with pytest.raises(Conflict):
        post(article, now + dt.timedelta(seconds=10), text="one more")
    assert Comment.objects.filter(address=ADDRESS).count() == comments.RATE_LIMIT
    later = now + comments.RATE_WINDOW + dt.timedelta(seconds=11)
    token = comments.form_token(article=article, now=later - dt.timedelta(seconds=5))
    assert post(article, later, token=token)
    assert post(article, now, address="203.0.113.8")  # another address is not limited


def test_a_banned_address_is_refused_and_its_waiting_comments_rejected(article, editor, now):
    waiting = post(article, now)
    assert comments.address_ban(actor=editor, address=ADDRESS, now=now) == 1
    waiting.refresh_from_db()
    assert waiting.status == "rejected"
    with pytest.raises(Forbidden):
        post(article, now, text="again")
    assert BannedAddress.objects.filter(address=ADDRESS).exists()


def test_closed_comments_are_refused(article, editor, now):
    services.article_save(actor=editor, now=now, article=article, fields={"comments_open": False})
    article.refresh_from_db()
    with pytest.raises(Conflict):
        post(article, now)


def test_comments_on_unpublished_or_scheduled_articles_are_refused(editor, now):
    scheduled = make_article(editor, publish_at=now + dt.timedelta(days=1))
    draft = make_article(editor, publish=False)
    for a in (scheduled, draft):
        with pytest.raises(NotFound):
            post(a, now)


@pytest.mark.parametrize("username", ["demo-investor", "demo-manager"])
def test_only_the_newsroom_moderates(article, now, username):
    c = post(article, now)
    user = User.objects.get(username=username)
    with pytest.raises(Forbidden):
        comments.comment_moderate(actor=user, comment=c, decision="approve", now=now)
    with pytest.raises(Forbidden):
        comments.address_ban(actor=user, address=ADDRESS, now=now)
    c.refresh_from_db()
    assert c.status == "pending"
