"""What the service records about itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class Report(Job):
    """One PDF or XLSX built by the worker for the user who asked (a sector table, the
    dashboard's monthly report, a register): what to build is ``kind`` with ``params``; the
    file lives in ``PROMZONA_VAR_DIR/reports/`` (shared by the app servers). ``key`` names the
    request (kind, parameters, format, language) and ``version`` the data it was built from,
    so a request repeated while one waits, or on unchanged data, is answered by the same row."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report status", "waiting for the worker")
        RUNNING = "running", pgettext_lazy("report status", "being prepared")
        DONE = "done", pgettext_lazy("report status", "ready")
        FAILED = "failed", pgettext_lazy("report status", "failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("asked by"))
    kind = models.CharField(_("kind"), max_length=32)
    params = models.JSONField(_("parameters"), default=dict)
    fmt = models.CharField(_("format"), max_length=8)
    language = models.CharField(_("language"), max_length=8)
    key = models.CharField(_("request key"), max_length=64, db_index=True)
    version = models.CharField(_("data version"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.QUEUED)
    file = models.CharField(_("file"), max_length=100, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt}"
