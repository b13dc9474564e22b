"""What the service records about itself."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """A worker's sign of life, renewed while it runs; readiness asks for a recent one."""

    worker = models.CharField(_("worker"), max_length=64, unique=True)
    at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker


class Job(models.Model):
    """Work the worker does for someone: queued at ``created_at``, ended at ``finished_at``
    (with the ``error`` the asker sees when it failed), newest first. Each kind adds what is
    to be done, its statuses and who asked."""

    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
