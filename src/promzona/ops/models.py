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
