"""Reports prepared on the worker for the analyst who asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.ops.models import Job


class ReportJob(Job):
    """One PDF or XLSX export of a sector table, built by the worker; the file lives in
    ``PROMZONA_VAR_DIR/reports/`` (shared by the app servers)."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report job status", "being prepared")
        DONE = "done", pgettext_lazy("report job status", "ready")
        FAILED = "failed", pgettext_lazy("report job status", "failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("asked by"))
    table = models.CharField(_("table"), max_length=32)
    fmt = models.CharField(_("format"), max_length=8)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.QUEUED)
    file = models.CharField(_("file"), max_length=100, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.table}.{self.fmt}"
