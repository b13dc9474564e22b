"""Saved searches, the notices of the portal, and the record of alerts already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """An investor's match request, re-run by :func:`promzona.matching.services.alerts_run`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="saved_searches")
    name = models.CharField(_("name"), max_length=200)
    request = models.JSONField(_("request"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """A message to a user shown in the portal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notices")
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class Alerted(models.Model):
    """A plot already announced for a saved search: never twice."""

    saved_search = models.ForeignKey(SavedSearch,
                                     verbose_name=_("saved search"), on_delete=models.CASCADE,
                                     related_name="alerted")
    plot = models.ForeignKey("zones.Plot", verbose_name=_("plot"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("alert sent")
        verbose_name_plural = _("alerts sent")
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "plot"], name="alerted_once_per_plot"),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id}: {self.plot_id}"
