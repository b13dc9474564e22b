"""A confirmed import, run by the worker: its state and, once done, its report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.ops.models import Job


class ImportJob(Job):
    """One confirmed import of an uploaded file; progress is on disk while it runs
    (:func:`promzona.geodata.uploads.progress_read`), the report here once it ends."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import job status", "waiting")
        RUNNING = "running", pgettext_lazy("import job status", "running")
        DONE = "done", pgettext_lazy("import job status", "imported")
        REFUSED = "refused", pgettext_lazy("import job status", "refused, nothing imported")
        FAILED = "failed", pgettext_lazy("import job status", "failed, nothing imported")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+", verbose_name=_("started by"))
    name = models.CharField(_("file"), max_length=255)
    layer = models.CharField(_("layer"), max_length=32)
    options = models.JSONField(_("options"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    report = models.JSONField(_("report"), null=True, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.name} → {self.layer}"
