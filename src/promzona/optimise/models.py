"""Saved build-plan scenarios: the parameters a user chose and the plan they gave."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanScenario(models.Model):
    """Budget, discount rate and value choices for one zone's build plan, with its result
    (the plan's JSON as solved when saved, so scenarios compare as they were decided)."""

    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.CASCADE,
                             related_name="plan_scenarios")
    name = models.CharField(_("name"), max_length=100)
    periods = models.PositiveSmallIntegerField(_("periods (quarters)"))
    budget = models.JSONField(_("budget per period, million KZT"))
    discount_rate = models.FloatField(_("discount rate per period"))
    carry_over = models.BooleanField(_("unspent budget carries over"), default=True)
    kinds = models.JSONField(_("utility kinds every plot needs"), null=True, blank=True)
    values = models.JSONField(_("plot values changed"), default=dict, blank=True)
    requires = models.JSONField(_("plot requirements changed"), default=dict, blank=True)
    result = models.JSONField(_("plan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("build-plan scenario")
        verbose_name_plural = _("build-plan scenarios")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
