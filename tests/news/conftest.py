"""Fixtures for the newsroom: the demo editor, a published article, photos made on the spot."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from promzona.accounts.models import User
from promzona.news import services
from promzona.news.events import rubric_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, fresh_caches):
    """Photos are written to a directory of the test's own; no page cached by another test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(demo):
    return User.objects.get(username="demo-editor")


@pytest.fixture
def editor_client(demo, client):
    assert client.login(username="demo-editor", password="balkhash-demo-2026")
    return client


@pytest.fixture
def now():
    return timezone.now()


def jpeg(size=(2400, 1600), *, exif=None, fmt="JPEG") -> bytes:
    img = Image.new("RGB", size, (40, 120, 200))
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def make_article(editor, *, now=None, publish=True, publish_at=None, photo=None, **fields):
    now = now or timezone.now()
    data = {"rubric": rubric_for(slug="investors"), "title_ru": "Новости зоны", "lead_ru": "Лид",
            "body_ru": "<p>Текст</p>", **fields}
    if photo is not None:
        data.setdefault("photo_credit", "Фото: редакция")
    article = services.article_save(actor=editor, now=now, fields=data, photo=photo)
    if publish:
        services.article_set_status(actor=editor, article=article, status="review", now=now)
        services.article_set_status(actor=editor, article=article, status="published", now=now,
                                    publish_at=publish_at or now - dt.timedelta(minutes=1))
    return article
