"""Every model, field and relation a person can see (admin lists, forms, errors) has a
translated name: the admin once showed "Attachments", "Comments" and "ZONE" on Russian pages."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils.functional import Promise

pytestmark = pytest.mark.nodb


def untranslated() -> list[str]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("promzona"):
            continue
        meta = model._meta
        for name in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(meta, name), Promise):
                found.append(f"{meta.label}.Meta.{name}")
        for f in meta.get_fields():
            if not f.concrete or f.name == "id":
                continue  # reverse relations, generic keys (shown through their parts), ids
            if (f.editable or f.is_relation) and not isinstance(f.verbose_name, Promise):
                found.append(f"{meta.label}.{f.name}")
    return found


def test_every_model_and_field_a_person_sees_has_a_translated_name():
    assert untranslated() == []


def test_the_check_notices_a_field_without_a_translated_name(monkeypatch):
    from promzona.zones.models import UtilitySource

    monkeypatch.setattr(UtilitySource._meta.get_field("zone"), "verbose_name", "zone")
    assert untranslated() == ["zones.UtilitySource.zone"]
