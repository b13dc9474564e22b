"""Replace an app's data version (:mod:`promzona.zones.models.version`) on every save, delete
and many-to-many change of that app's models, in the writer's transaction; but not on creating
a row that says it is shown nowhere yet (``shown_when_created`` false: a comment awaiting
moderation), so that a burst of such rows empties no cache."""

from __future__ import annotations

from functools import partial

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models.version import DataVersion, data_changed


def _changed(sender, action: str = "post_save", *, app: str, instance=None, created=False,
             **kwargs) -> None:
    if not action.startswith("post_"):  # m2m_changed also sends pre_add, pre_remove, pre_clear
        return
    if created and not getattr(instance, "shown_when_created", True):
        return  # a new row no page shows (a comment awaiting moderation)
    data_changed(app)


def connect(app: str = "zones") -> None:
    """Connect :func:`_changed` to every model of ``app`` (a key of ``DataVersion.ROWS``). The
    many-to-many tables get ``m2m_changed`` only: a delete receiver on them would turn their
    bulk deletes row by row."""
    receiver = partial(_changed, app=app)
    for model in apps.get_app_config(app).get_models(include_auto_created=True):
        uid = f"{app}-version-{model._meta.label_lower}"
        if model._meta.auto_created:
            m2m_changed.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        elif model is not DataVersion:
            post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save", weak=False)
            post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete", weak=False)
