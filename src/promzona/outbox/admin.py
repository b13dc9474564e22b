"""The outbox in the admin, for staff to see what waits, what was sent and what failed (and
why). Bodies are not shown: they may hold one-time links (password reset, invitations)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promzona.audit.admin import ReadOnlyAdmin

from .models import OutgoingEmail
from .services import outbox_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "recipients", "status", "attempts",
                    "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("subject",)
    fields = ("created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at",
              "last_error")
    actions = ["retry"]

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutgoingEmail) -> str:
        return ", ".join(obj.to)

    @admin.action(description=_("Try the failed emails again"), permissions=["view"])
    def retry(self, request, queryset):
        count = outbox_retry(actor=request.user, messages=queryset, now=timezone.now())
        self.message_user(request, ngettext("%(n)d email will be tried again.",
                                            "%(n)d emails will be tried again.", count)
                          % {"n": count}, messages.SUCCESS)
