"""The version of the zones' data: one row shared by every app server, replaced by every write.

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
    meant other data. The matching index and the portal's page cache key on it."""

    ROW = 1  # the primary key of the one row

    token = models.CharField(_("version"), max_length=32)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return self.token


def data_changed() -> None:
    """Give the zones' data a new version (creating its row if a flushed database lost it)."""
    rows = DataVersion.objects.filter(pk=DataVersion.ROW)
    if not rows.update(token=uuid.uuid4().hex):
        DataVersion.objects.bulk_create([DataVersion(pk=DataVersion.ROW)], ignore_conflicts=True)
        rows.update(token=uuid.uuid4().hex)


class VersionedQuerySet(models.QuerySet):
    """The zones models' queryset: its bulk writes, which send no signals, change the version."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            data_changed()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            data_changed()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            data_changed()
        return rows
