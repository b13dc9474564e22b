"""The version of an app's data (the zones', the newsroom's): one row per app shared by every
app server, replaced by every write of that app's models.

Saves and deletes send signals (connected in :mod:`promzona.zones.signals`); the bulk writes
(``update``, ``bulk_create``, ``bulk_update``) of :class:`VersionedQuerySet` call
:func:`data_changed` themselves. Either way the new version commits with the data it names.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A random token, so a rolled-back or restored database never brings back a version that
    meant other data. The matching index and the portal's and newsroom's page caches key on it."""

    ROWS = {"zones": 1, "news": 2}  # the primary key of each versioned app's row

    token = models.CharField(_("version"), max_length=32)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return self.token


def data_changed(app: str = "zones") -> None:
    """Give ``app``'s data a new version (creating its row if a flushed database lost it)."""
    pk = DataVersion.ROWS[app]
    rows = DataVersion.objects.filter(pk=pk)
    if not rows.update(token=uuid.uuid4().hex):
        DataVersion.objects.bulk_create([DataVersion(pk=pk)], ignore_conflicts=True)
        rows.update(token=uuid.uuid4().hex)


class VersionedQuerySet(models.QuerySet):
    """A versioned app's models' queryset: its bulk writes, which send no signals, change the
    version of the model's app."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            data_changed(self.model._meta.app_label)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            data_changed(self.model._meta.app_label)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            data_changed(self.model._meta.app_label)
        return rows
