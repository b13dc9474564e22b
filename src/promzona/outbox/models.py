"""Email waiting to be sent, sent, or given up on: the outbox that makes sending reliable."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutgoingEmail(models.Model):
    """One email. Written in the transaction of the change it announces, sent after commit,
    retried with growing delays; its body is emptied once sent (it may hold a one-time link)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outgoing email status", "waiting to be sent")
        SENT = "sent", pgettext_lazy("outgoing email status", "sent")
        FAILED = "failed", pgettext_lazy("outgoing email status", "failed, no more attempts")

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.subject
