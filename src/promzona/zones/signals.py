"""Replace the zones' data version (:mod:`promzona.zones.models.version`) on every save, delete
and many-to-many change of a zones model, in the writer's transaction."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models.version import DataVersion, data_changed


def _changed(sender, action: str = "post_save", **kwargs) -> None:
    if action.startswith("post_"):  # m2m_changed also sends pre_add, pre_remove, pre_clear
        data_changed()


def connect() -> None:
    """Connect :func:`_changed` to every model of the zones app. The many-to-many tables get
    ``m2m_changed`` only: a delete receiver on them would turn their bulk deletes row by row."""
    for model in apps.get_app_config("zones").get_models(include_auto_created=True):
        uid = f"zones-version-{model._meta.label_lower}"
        if model._meta.auto_created:
            m2m_changed.connect(_changed, sender=model, dispatch_uid=uid)
        elif model is not DataVersion:
            post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
