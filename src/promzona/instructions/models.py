"""Instructions (поручения): the chain from the Prime Minister to the zone office, controlled to
the day.

Nothing here is deleted. Every change of status, deadline or control flag writes an
:class:`Event` that stores the state it left, so any figure can be asked "as of" a past day
(:func:`promzona.core.instructions.state_as_of`). Extensions keep their old and new dates.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promzona.core import instructions as rules
from promzona.zones.models import Translated


class Body(Translated):
    """An issuer or executor: a state body (government, akimat, zone office) or an organisation
    (contractor, utility company). Its members log in and act for it."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        REGION = "region", _("Regional akimat")
        CITY = "city", _("City akimat")
        ZONE_OFFICE = "zone_office", _("Zone office")
        ORGANISATION = "organisation", _("Organisation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    head = models.CharField(_("head (position)"), max_length=255, blank=True,
                            help_text=_("Who signs for the body, e.g. the regional governor."))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"),
                                     blank=True, related_name="instruction_bodies")

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name_ru"]


class Instruction(models.Model):
    class Status(models.TextChoices):
        ISSUED = rules.ISSUED, pgettext_lazy("instruction status", "Issued")
        IN_PROGRESS = rules.IN_PROGRESS, pgettext_lazy("instruction status", "In progress")
        REPORTED = rules.REPORTED, pgettext_lazy("instruction status", "Reported")
        ACCEPTED = rules.ACCEPTED, pgettext_lazy("instruction status", "Accepted (closed)")

    number = models.CharField(_("number"), max_length=50)
    issued_on = models.DateField(_("date"))
    issuer = models.ForeignKey(Body, verbose_name=_("issuer"), on_delete=models.PROTECT,
                               related_name="issued_instructions")
    issuer_person = models.CharField(_("signed by"), max_length=255, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("basis (parent instruction)"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children")
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), max_length=20000, blank=True)
    executor = models.ForeignKey(Body, verbose_name=_("executor"), on_delete=models.PROTECT,
                                 related_name="executed_instructions")
    executor_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible person"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="instructions_to_execute")
    co_executors = models.ManyToManyField(Body, verbose_name=_("co-executors"), blank=True,
                                          related_name="co_executed_instructions")
    controller = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("controller"),
                                   on_delete=models.PROTECT, related_name="instructions_on_control")
    deadline = models.DateField(_("deadline"), db_index=True)
    on_control = models.BooleanField(_("on control"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ISSUED, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("created by"), on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="instruction_number_per_issuer"),
            models.CheckConstraint(condition=Q(deadline__gte=F("issued_on")),
                                   name="instruction_deadline_not_before_issue"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.title}"[:255]

    def overdue(self, today) -> bool:
        return rules.is_overdue(deadline=self.deadline, status=self.status,
                                on_control=self.on_control, today=today)


class Event(models.Model):
    """One dated change, with the state it left (status, deadline, control flag)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("issued")
        EDITED = "edited", _("edited")
        STARTED = "started", _("taken into work")
        REPORTED = "reported", _("reported")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned for rework")
        EXTENSION_REQUESTED = "extension_requested", _("extension requested")
        EXTENSION_GRANTED = "extension_granted", _("extension granted")
        EXTENSION_REFUSED = "extension_refused", _("extension refused")
        REMOVED = "removed", _("removed from control")

    instruction = models.ForeignKey(Instruction,
                                    verbose_name=_("instruction"), on_delete=models.PROTECT,
                                    related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL,
                              verbose_name=_("actor"), on_delete=models.SET_NULL, null=True,
                              related_name="+")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Instruction.Status.choices)
    deadline = models.DateField(_("deadline"))
    on_control = models.BooleanField(_("on control"))
    comment = models.TextField(_("comment"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}"


class Report(models.Model):
    """A report of execution, and the controller's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "", _("awaiting decision")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")

    instruction = models.ForeignKey(Instruction,
                                    verbose_name=_("instruction"), on_delete=models.PROTECT,
                                    related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL,
                               verbose_name=_("author"), on_delete=models.SET_NULL, null=True,
                               related_name="+")
    at = models.DateTimeField(_("time"))
    text = models.TextField(_("report"), max_length=20000)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices,
                                blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("decided by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("controller's comment"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportAttachment(models.Model):
    """A document attached to a report; served only through a checking view."""

    report = models.ForeignKey(Report,
                               verbose_name=_("report"), on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to="instructions/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Extension(models.Model):
    """A deadline extension: requested with a reason, granted or refused by the controller."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("extension status", "pending")
        GRANTED = "granted", pgettext_lazy("extension status", "granted")
        REFUSED = "refused", pgettext_lazy("extension status", "refused")

    instruction = models.ForeignKey(Instruction, verbose_name=_("instruction"), on_delete=models.PROTECT,
                                    related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                     verbose_name=_("requested by"), on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    reason = models.TextField(_("reason"), max_length=5000)
    old_deadline = models.DateField(_("old deadline"))
    new_deadline = models.DateField(_("new deadline"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("decided by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("controller's comment"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instruction"], condition=Q(status="pending"),
                                    name="one_pending_extension_per_instruction"),
            models.CheckConstraint(condition=Q(new_deadline__gt=F("old_deadline")),
                                   name="extension_moves_deadline_later"),
        ]

    def __str__(self) -> str:
        return f"{self.old_deadline} → {self.new_deadline} ({self.status})"


class Link(models.Model):
    """An object the instruction concerns (zone, plot, line, source; works and projects once
    their apps exist), through a generic relation."""

    instruction = models.ForeignKey(Instruction,
                                    verbose_name=_("instruction"), on_delete=models.PROTECT,
                                    related_name="links")
    content_type = models.ForeignKey(ContentType,
                                     verbose_name=_("content type"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["content_type", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["instruction", "content_type", "object_id"],
                                    name="instruction_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"


class CalendarFeed(models.Model):
    """A user's secret iCalendar URL; only a hash of its key is stored; revoking ends it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="instruction_feeds")
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"


class Digest(models.Model):
    """The daily reminder sent to one user on one day: the unique pair keeps it to once a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL,
                             verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"))
    overdue = models.PositiveIntegerField(_("overdue"))
    due_soon = models.PositiveIntegerField(_("due soon"))

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id}"
